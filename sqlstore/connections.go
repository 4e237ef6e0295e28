package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// ConnectionService implements linkwork.ConnectionService.
type ConnectionService struct{ db *DB }

// NewConnectionService returns the connection service over db.
func NewConnectionService(db *DB) *ConnectionService { return &ConnectionService{db: db} }

var _ linkwork.ConnectionService = (*ConnectionService)(nil)

const connectionColumns = "n.id, n.case_id, n.person_id, n.asset_id, n.level, n.status, n.note, n.fund_pence, n.version, n.created_at, n.updated_at"

// connectionSelect and connectionFrom read connections with the person's
// and the activity's names.
const (
	connectionSelect = connectionColumns + ", p.given_name, p.preferred_name, p.family_name, a.name, COALESCE(lu.name, '')"
	connectionTable  = "FROM connections n"
	connectionJoins  = "JOIN people p ON p.id = n.person_id JOIN assets a ON a.id = n.asset_id JOIN cases ck ON ck.id = n.case_id LEFT JOIN users lu ON lu.id = ck.link_worker_id"
	connectionFrom   = connectionTable + " " + connectionJoins
)

func scanConnection(row scanner, extra ...any) (*linkwork.Connection, error) {
	var c linkwork.Connection
	var level, status string
	var given, preferred, family string
	err := row.Scan(append([]any{&c.ID, &c.CaseID, &c.PersonID, &c.AssetID, &level, &status, &c.Note, &c.FundPence, &c.Version, timeDest{&c.CreatedAt}, timeDest{&c.UpdatedAt},
		&given, &preferred, &family, &c.AssetName, &c.LinkWorkerName}, extra...)...)
	c.PersonName = displayName(given, preferred, family)
	c.Level, c.Status = linkwork.ConnectionLevel(level), linkwork.ConnectionStatus(status)
	return &c, err
}

// redactConnection keeps the link worker's note, and what the service's
// funds paid, from a community organisation: they are the service's
// business, not theirs.
func redactConnection(a linkwork.Actor, c *linkwork.Connection) {
	if a.Role == linkwork.RoleCommunity {
		c.Note = ""
		c.FundPence = 0
	}
}

// CreateConnection suggests an asset for a case.
func (s *ConnectionService) CreateConnection(ctx context.Context, c *linkwork.Connection) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		k, err := tx.visibleCase(c.CaseID)
		if err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionCreate, auth.Record{Kind: auth.KindConnection, ServiceOrgID: k.ServiceOrgID, LinkWorkerID: k.LinkWorkerID}) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "You can see this case but not make connections for it")
		}
		if k.Status == linkwork.CaseClosed {
			return linkwork.FieldErr("case_id", "This case is closed: reopen support with a new referral")
		}
		if _, err := tx.findAsset(c.AssetID); err != nil {
			return linkwork.FieldErr("asset_id", "Choose an activity from the directory")
		}
		c.PersonID = k.PersonID
		c.Status = linkwork.ConnSuggested
		// What funds pay towards it is the sum of its approved requests
		// to them (FundService), never said when it is made.
		c.FundPence = 0
		if err := tx.insertConnection(c, k.ServiceOrgID); err != nil {
			return err
		}
		return tx.insertConnectionMove(c, "", c.Status, "")
	})
}

// insertConnection stores a new connection for a case of the service.
func (tx *Tx) insertConnection(c *linkwork.Connection, serviceOrgID string) error {
	if c.ID == "" {
		c.ID = uuid.NewString()
	}
	c.Version, c.CreatedAt, c.UpdatedAt = 1, tx.now, tx.now
	// The connection records the organisation running the activity, by
	// which that organisation's hand-overs are listed.
	if _, err := tx.exec(`INSERT INTO connections (id, case_id, person_id, asset_id, level, status, note, fund_pence, version, created_at, updated_at, service_org_id, asset_org_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT org_id FROM assets WHERE id = ?))`, c.ID, c.CaseID, c.PersonID, c.AssetID, string(c.Level), string(c.Status), c.Note, c.FundPence, c.Version, c.CreatedAt, c.UpdatedAt, serviceOrgID, c.AssetID); err != nil {
		return err
	}
	return tx.audit("connection.create", auth.KindConnection, c.ID, c.AssetID)
}

// FindConnections returns the connections the actor may see, newest
// first.
func (s *ConnectionService) FindConnections(ctx context.Context, f linkwork.ConnectionFilter) ([]*linkwork.Connection, int, error) {
	var out []*linkwork.Connection
	var total int
	err := s.db.audited(ctx, func(tx *Tx) error {
		scan := func(r scanner) (*linkwork.Connection, error) { return scanConnection(r) }
		var err error
		if out, total, err = queryPage(tx, connectionTable, connectionJoins, connectionsWhere(tx.actor, f), connectionOrder, f.Offset, f.Limit, scan, connectionSelect); err != nil {
			return err
		}
		ids := make([]string, len(out))
		for i, c := range out {
			redactConnection(tx.actor, c)
			ids[i] = c.ID
		}
		return tx.auditList("connection.list", auth.KindConnection, ids)
	})
	return out, total, err
}

// connectionOrder is the order connections are listed in: newest first.
const connectionOrder = "n.created_at DESC, n.id"

// connectionsWhere finds the connections the filter asks for among those
// the actor may see.
func connectionsWhere(a linkwork.Actor, f linkwork.ConnectionFilter) where {
	var w where
	w.scope(a, auth.KindConnection, "n")
	if f.CaseID != "" {
		w.add("n.case_id = ?", f.CaseID)
	}
	if f.AssetID != "" {
		w.add("n.asset_id = ?", f.AssetID)
	}
	if len(f.Status) > 0 {
		w.add("n.status IN ("+placeholders(len(f.Status))+")", statusArgs(f.Status)...)
	}
	return w
}

// MoveConnection changes a connection's status as m asks, and records
// the move.
func (s *ConnectionService) MoveConnection(ctx context.Context, id string, m linkwork.ConnectionMove) (*linkwork.Connection, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	var c *linkwork.Connection
	err := s.db.update(ctx, func(tx *Tx) error {
		var w where
		w.add("n.id = ?", id)
		w.scope(tx.actor, auth.KindConnection, "n")
		var serviceOrg, worker, assetOrg string
		var err error
		c, err = scanConnection(tx.queryRow("SELECT "+connectionSelect+", k.service_org_id, k.link_worker_id, a.org_id "+connectionFrom+" JOIN cases k ON k.id = n.case_id WHERE "+w.sql(), w.args...),
			&serviceOrg, nullString{&worker}, nullString{&assetOrg})
		if errors.Is(err, sql.ErrNoRows) {
			return linkwork.Errorf(linkwork.ENOTFOUND, "Connection not found")
		}
		if err != nil {
			return err
		}
		rec := auth.Record{Kind: auth.KindConnection, ServiceOrgID: serviceOrg, LinkWorkerID: worker, AssetOrgIDs: []string{assetOrg}}
		allowed := auth.Can(tx.actor, auth.ActionUpdate, rec) || (auth.Can(tx.actor, auth.ActionRespond, rec) && m.To.Answers())
		if !allowed {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "You cannot make that change to this connection")
		}
		answeredBy := ""
		if tx.actor.Role == linkwork.RoleCommunity {
			if err := tx.queryRow("SELECT name FROM organisations WHERE id = ?", tx.actor.OrgID).Scan(&answeredBy); err != nil {
				return err
			}
		}
		return tx.moveConnection(c, m, serviceOrg, worker, answeredBy)
	})
	return c, err
}

// moveConnection moves connection c (read as the actor may see it) as m
// asks, records the move, and, when the activity's group made it
// (answeredBy names the group), adds its note after the link worker's,
// and tells the link worker of a decline. The caller has held the actor
// to the policy.
func (tx *Tx) moveConnection(c *linkwork.Connection, m linkwork.ConnectionMove, serviceOrg, worker, answeredBy string) error {
	if c.Version != m.Version {
		return linkwork.Errorf(linkwork.ECONFLICT, "Someone else changed this connection since you opened it. Reload it and try again.")
	}
	if !c.Status.CanBecome(m.To) {
		return linkwork.FieldErr("to", "A connection that is "+strings.ReplaceAll(string(c.Status), "_", " ")+" cannot become "+strings.ReplaceAll(string(m.To), "_", " "))
	}
	if err := tx.checkShareConsent(c, m.To); err != nil {
		return err
	}
	note := strings.TrimSpace(m.Note)
	switch {
	case note == "":
		note = c.Note
	case answeredBy != "":
		// The organisation's answer is added to the link worker's
		// note, never in place of it.
		note = strings.TrimSpace(c.Note + "\n\n" + answeredBy + ": " + note)
	}
	id := c.ID
	res, err := tx.exec("UPDATE connections SET status = ?, note = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?", string(m.To), note, tx.now, id, m.Version)
	if err != nil {
		return err
	}
	if err := tx.mustAffect(res, "connections", id, "Connection"); err != nil {
		return err
	}
	from := c.Status
	if err := tx.insertConnectionMove(c, from, m.To, strings.TrimSpace(m.Reason)); err != nil {
		return err
	}
	c.Status, c.Note, c.Version, c.UpdatedAt = m.To, note, m.Version+1, tx.now
	redactConnection(tx.actor, c)
	detail := string(from) + "->" + string(m.To)
	if m.To == linkwork.ConnDeclined {
		detail += " " + m.Reason
	}
	if err := tx.audit("connection.move", auth.KindConnection, id, detail); err != nil {
		return err
	}
	if m.To == linkwork.ConnDeclined && answeredBy != "" {
		return tx.notifyDeclined(c, serviceOrg, worker, linkwork.DeclineReason(strings.TrimSpace(m.Reason)))
	}
	return nil
}

// insertConnectionMove records that connection c moved from one status to
// another, now, by the actor.
// A move a group made through its link also names the link.
func (tx *Tx) insertConnectionMove(c *linkwork.Connection, from, to linkwork.ConnectionStatus, reason string) error {
	link, _ := strings.CutPrefix(tx.actor.UserID, linkwork.AnswerActorPrefix)
	if link == tx.actor.UserID {
		link = ""
	}
	_, err := tx.exec("INSERT INTO connection_moves (id, connection_id, case_id, from_status, to_status, reason, by_user_id, by_link_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		uuid.NewString(), c.ID, c.CaseID, string(from), string(to), reason, tx.actor.UserID, link, tx.now)
	return err
}

// FindConnectionMoves returns the moves of a case's connections the actor
// may see, oldest first.
func (s *ConnectionService) FindConnectionMoves(ctx context.Context, caseID string) ([]*linkwork.ConnectionMove, error) {
	var out []*linkwork.ConnectionMove
	err := s.db.audited(ctx, func(tx *Tx) error {
		var w where
		w.add("m.case_id = ?", caseID)
		w.scope(tx.actor, auth.KindConnection, "n")
		err := tx.eachRow(`SELECT m.connection_id, m.from_status, m.to_status, m.reason, m.by_user_id, m.by_link_id, COALESCE(u.name, al.group_name, ''), m.at
			FROM connection_moves m JOIN connections n ON n.id = m.connection_id LEFT JOIN users u ON u.id = m.by_user_id
			LEFT JOIN connection_answer_links al ON al.id = m.by_link_id
			WHERE `+w.sql()+" ORDER BY m.at, m.id", w.args, func(row scanner) error {
			var m linkwork.ConnectionMove
			var from, to string
			if err := row.Scan(&m.ConnectionID, &from, &to, &m.Reason, &m.ByUserID, &m.ByLinkID, &m.ByName, timeDest{&m.At}); err != nil {
				return err
			}
			m.From, m.To = linkwork.ConnectionStatus(from), linkwork.ConnectionStatus(to)
			out = append(out, &m)
			return nil
		})
		if err != nil {
			return err
		}
		return tx.audit("connection.moves", auth.KindCase, caseID, "")
	})
	return out, err
}

// notifyDeclined tells the link worker holding the case (or, when it has
// none, the service's staff) that a group could not take the person, and
// links to the case's ranked suggestions, so that a decline is never left
// waiting for someone to notice it. In the app only: nothing about the
// person goes by email.
func (tx *Tx) notifyDeclined(c *linkwork.Connection, serviceOrg, worker string, reason linkwork.DeclineReason) error {
	why := strings.ToLower(reason.Label())
	return tx.insertNotification(&linkwork.Notification{Kind: linkwork.NoteConnectionDeclined, UserID: worker, OrgID: serviceOrg,
		Subject: c.AssetName + " cannot take " + c.PersonName,
		Body:    c.AssetName + " answered that they cannot take " + c.PersonName + " (" + why + "). Other activities that may suit them are suggested on their case.",
		Link:    "/cases/" + c.CaseID + "?suggest=1#suggestions", CreatedAt: tx.now})
}
