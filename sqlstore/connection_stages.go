package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

var _ linkwork.ConnectionStageService = (*ConnectionService)(nil)

// workedConnection reads connection id for a change only those who work
// its case may make: ENOTFOUND when the actor may not see it, EFORBIDDEN
// when they may see it but not work it.
func (tx *Tx) workedConnection(id string) (*linkwork.Connection, error) {
	var w where
	w.add("n.id = ?", id)
	w.scope(tx.actor, auth.KindConnection, "n")
	var serviceOrg, worker, assetOrg string
	c, err := scanConnection(tx.queryRow("SELECT "+connectionSelect+", k.service_org_id, k.link_worker_id, a.org_id "+connectionFrom+" JOIN cases k ON k.id = n.case_id WHERE "+w.sql(), w.args...),
		&serviceOrg, nullString{&worker}, nullString{&assetOrg})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, linkwork.Errorf(linkwork.ENOTFOUND, "Connection not found")
	}
	if err != nil {
		return nil, err
	}
	if !auth.Can(tx.actor, auth.ActionUpdate, auth.Record{Kind: auth.KindConnection, ServiceOrgID: serviceOrg, LinkWorkerID: worker, AssetOrgIDs: []string{assetOrg}}) {
		return nil, linkwork.Errorf(linkwork.EFORBIDDEN, "Only those who work this case record how the person got on")
	}
	return c, nil
}

// RecordStage records the next stage of a phased hand-over; a stage with
// no date happened today.
func (s *ConnectionService) RecordStage(ctx context.Context, id string, st *linkwork.ConnectionStage) error {
	return s.db.update(ctx, func(tx *Tx) error {
		today := linkwork.DateOf(tx.now.In(ukTime))
		if st.On.IsZero() {
			st.On = today
		}
		if err := st.Validate(today); err != nil {
			return err
		}
		c, err := tx.workedConnection(id)
		if err != nil {
			return err
		}
		var done []linkwork.HandOverStage
		var last linkwork.Date
		err = tx.eachRow("SELECT stage, stage_on FROM connection_stages WHERE connection_id = ? ORDER BY stage_on, at, id", []any{id}, func(row scanner) error {
			var stage string
			if err := row.Scan(&stage, dateDest{&last}); err != nil {
				return err
			}
			done = append(done, linkwork.HandOverStage(stage))
			return nil
		})
		if err != nil {
			return err
		}
		if err := c.CheckStage(done, last, st); err != nil {
			return err
		}
		st.ConnectionID, st.ByUserID, st.At = id, tx.actor.UserID, tx.now
		if _, err := tx.exec("INSERT INTO connection_stages (id, connection_id, case_id, stage, stage_on, note, by_user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			uuid.NewString(), id, c.CaseID, string(st.Stage), dv(st.On), st.Note, st.ByUserID, st.At); err != nil {
			return err
		}
		return tx.audit("connection.stage", auth.KindConnection, id, string(st.Stage)+" "+st.On.String())
	})
}

// FindConnectionStages returns the stages of a case's connections the
// actor may see, in order.
func (s *ConnectionService) FindConnectionStages(ctx context.Context, caseID string) ([]*linkwork.ConnectionStage, error) {
	var out []*linkwork.ConnectionStage
	err := s.db.audited(ctx, func(tx *Tx) error {
		var w where
		w.add("g.case_id = ?", caseID)
		w.scope(tx.actor, auth.KindConnection, "n")
		err := tx.eachRow("SELECT g.connection_id, g.stage, g.stage_on, g.note, g.by_user_id, COALESCE(u.name, ''), g.at FROM connection_stages g JOIN connections n ON n.id = g.connection_id LEFT JOIN users u ON u.id = g.by_user_id WHERE "+w.sql()+" ORDER BY g.stage_on, g.at, g.id", w.args, func(row scanner) error {
			var st linkwork.ConnectionStage
			var stage string
			if err := row.Scan(&st.ConnectionID, &stage, dateDest{&st.On}, &st.Note, &st.ByUserID, &st.ByName, timeDest{&st.At}); err != nil {
				return err
			}
			st.Stage = linkwork.HandOverStage(stage)
			if tx.actor.Role == linkwork.RoleCommunity {
				st.Note = "" // the link worker's working note
			}
			out = append(out, &st)
			return nil
		})
		if err != nil {
			return err
		}
		return tx.audit("connection.stages", auth.KindCase, caseID, "")
	})
	return out, err
}

// RecordView records the person's view of the activity of a connection
// they have been to, in place of any view recorded before.
func (s *ConnectionService) RecordView(ctx context.Context, id string, v *linkwork.ConnectionView) error {
	if err := v.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		c, err := tx.workedConnection(id)
		if err != nil {
			return err
		}
		if !c.Status.HasGone() {
			return linkwork.FieldErr("view", "Record what they thought once they have been: the connection is "+string(c.Status))
		}
		v.ConnectionID, v.ByUserID, v.At = id, tx.actor.UserID, tx.now
		if _, err := tx.exec("DELETE FROM connection_views WHERE connection_id = ?", id); err != nil {
			return err
		}
		if _, err := tx.exec("INSERT INTO connection_views (connection_id, case_id, asset_id, person_view, why, by_user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			id, c.CaseID, c.AssetID, string(v.View), v.Why, v.ByUserID, v.At); err != nil {
			return err
		}
		return tx.audit("connection.view", auth.KindConnection, id, string(v.View))
	})
}

// FindConnectionViews returns the views recorded on a case's connections
// the actor may see; an organisation sees none.
func (s *ConnectionService) FindConnectionViews(ctx context.Context, caseID string) ([]*linkwork.ConnectionView, error) {
	var out []*linkwork.ConnectionView
	err := s.db.audited(ctx, func(tx *Tx) error {
		if tx.actor.Role == linkwork.RoleCommunity {
			return nil
		}
		var w where
		w.add("v.case_id = ?", caseID)
		w.scope(tx.actor, auth.KindConnection, "n")
		err := tx.eachRow("SELECT v.connection_id, v.person_view, v.why, v.by_user_id, v.at FROM connection_views v JOIN connections n ON n.id = v.connection_id WHERE "+w.sql(), w.args, func(row scanner) error {
			var v linkwork.ConnectionView
			var view string
			if err := row.Scan(&v.ConnectionID, &view, &v.Why, &v.ByUserID, timeDest{&v.At}); err != nil {
				return err
			}
			v.View = linkwork.PersonView(view)
			out = append(out, &v)
			return nil
		})
		if err != nil {
			return err
		}
		return tx.audit("connection.views", auth.KindCase, caseID, "")
	})
	return out, err
}

// FindActivityViews returns how people found the activities the actor's
// organisation runs, in numbers, for those with at least
// linkwork.MinViewsShown views.
func (s *ConnectionService) FindActivityViews(ctx context.Context) ([]linkwork.ActivityViews, error) {
	var out []linkwork.ActivityViews
	err := s.db.audited(ctx, func(tx *Tx) error {
		if tx.actor.OrgID == "" {
			return nil
		}
		err := tx.eachRow(`SELECT a.id, a.name,
			SUM(CASE WHEN v.person_view = 'liked_it' THEN 1 ELSE 0 END),
			SUM(CASE WHEN v.person_view = 'not_for_me' THEN 1 ELSE 0 END),
			SUM(CASE WHEN v.person_view = 'mixed' THEN 1 ELSE 0 END)
			FROM assets a JOIN connection_views v ON v.asset_id = a.id
			WHERE a.org_id = ? GROUP BY a.id, a.name HAVING COUNT(*) >= ? ORDER BY a.name, a.id`, []any{tx.actor.OrgID, linkwork.MinViewsShown}, func(row scanner) error {
			var a linkwork.ActivityViews
			if err := row.Scan(&a.AssetID, &a.AssetName, &a.LikedIt, &a.NotForMe, &a.Mixed); err != nil {
				return err
			}
			out = append(out, a)
			return nil
		})
		if err != nil {
			return err
		}
		return tx.audit("connection.activity_views", auth.KindOrganisation, tx.actor.OrgID, "")
	})
	return out, err
}
