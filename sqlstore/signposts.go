package sqlstore

import (
	"context"
	"time"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

var _ linkwork.SignpostService = (*ConnectionService)(nil)

// activityDetails composes the details of connection c's activity for
// its person, in the words a message sends.
func (tx *Tx) activityDetails(c *linkwork.Connection) (subject, body string, err error) {
	a, err := tx.findAsset(c.AssetID)
	if err != nil {
		return "", "", err
	}
	called, err := tx.calledName(c.PersonID)
	if err != nil {
		return "", "", err
	}
	var service string
	if err := tx.queryRow("SELECT o.name FROM cases k JOIN organisations o ON o.id = k.service_org_id WHERE k.id = ?", c.CaseID).Scan(&service); err != nil {
		return "", "", err
	}
	subject, body = linkwork.ActivityDetails(a, called, c.LinkWorkerName, service)
	return subject, body, nil
}

// GiveDetails gives the person the details of a connection's activity,
// sent or handed over, and records it.
func (s *ConnectionService) GiveDetails(ctx context.Context, id string, d *linkwork.ConnectionDetails) (*linkwork.PersonMessage, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	var m *linkwork.PersonMessage
	err := s.db.update(ctx, func(tx *Tx) error {
		c, err := tx.workedConnection(id)
		if err != nil {
			return err
		}
		if err := c.CheckDetails(); err != nil {
			return err
		}
		if d.Way == linkwork.DetailsSent {
			person, err := tx.visiblePerson(c.PersonID)
			if err != nil {
				return err
			}
			subject, body, err := tx.activityDetails(c)
			if err != nil {
				return err
			}
			var ok bool
			if m, ok, err = tx.queueMessage(person, c.CaseID, linkwork.MessageActivity, subject, body, time.Time{}); err != nil {
				return err
			}
			if !ok {
				return linkwork.FieldErr("way", "They have not chosen a way we can send to (text, email or letter): print the details and give them in person")
			}
			d.MessageID = m.ID
		}
		d.ConnectionID, d.ByUserID, d.At = id, tx.actor.UserID, tx.now
		if _, err := tx.exec("INSERT INTO connection_details (id, connection_id, case_id, way, message_id, by_user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			uuid.NewString(), id, c.CaseID, string(d.Way), d.MessageID, d.ByUserID, d.At); err != nil {
			return err
		}
		return tx.audit("connection.details", auth.KindConnection, id, string(d.Way))
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// ActivityDetails is the details of a connection's activity, to print.
func (s *ConnectionService) ActivityDetails(ctx context.Context, id string) (*linkwork.ActivityDetailsText, error) {
	var out *linkwork.ActivityDetailsText
	err := s.db.audited(ctx, func(tx *Tx) error {
		c, err := tx.workedConnection(id)
		if err != nil {
			return err
		}
		subject, body, err := tx.activityDetails(c)
		if err != nil {
			return err
		}
		out = &linkwork.ActivityDetailsText{ConnectionID: id, CaseID: c.CaseID, AssetID: c.AssetID, Subject: subject, Body: body}
		return tx.audit("connection.details_read", auth.KindConnection, id, "")
	})
	return out, err
}

// FindConnectionDetails returns when the details of a case's connections
// were given, oldest first.
func (s *ConnectionService) FindConnectionDetails(ctx context.Context, caseID string) ([]*linkwork.ConnectionDetails, error) {
	var out []*linkwork.ConnectionDetails
	err := s.db.audited(ctx, func(tx *Tx) error {
		var w where
		w.add("d.case_id = ?", caseID)
		w.scope(tx.actor, auth.KindConnection, "n")
		if tx.actor.Role == linkwork.RoleCommunity {
			// How the service keeps in touch with the person is its own.
			w.add("1 = 0")
		}
		err := tx.eachRow("SELECT d.connection_id, d.way, d.message_id, d.by_user_id, COALESCE(u.name, ''), d.at FROM connection_details d JOIN connections n ON n.id = d.connection_id LEFT JOIN users u ON u.id = d.by_user_id WHERE "+w.sql()+" ORDER BY d.at, d.id", w.args, func(row scanner) error {
			var d linkwork.ConnectionDetails
			var way string
			if err := row.Scan(&d.ConnectionID, &way, &d.MessageID, &d.ByUserID, &d.ByName, timeDest{&d.At}); err != nil {
				return err
			}
			d.Way = linkwork.DetailsWay(way)
			out = append(out, &d)
			return nil
		})
		if err != nil {
			return err
		}
		return tx.audit("connection.details_list", auth.KindCase, caseID, "")
	})
	return out, err
}

// calledName is the name a person is called by, to greet them in what
// is sent or printed for them: their preferred name, or else their given
// name.
func (tx *Tx) calledName(personID string) (string, error) {
	var given, preferred string
	if err := tx.queryRow("SELECT given_name, preferred_name FROM people WHERE id = ?", personID).Scan(&given, &preferred); err != nil {
		return "", err
	}
	if preferred != "" {
		return preferred, nil
	}
	return given, nil
}
