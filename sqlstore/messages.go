package sqlstore

import (
	"context"
	"time"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// MessageService implements linkwork.MessageService: the outbox of
// messages to the people the service supports.
type MessageService struct{ db *DB }

// NewMessageService returns the message service over db.
func NewMessageService(db *DB) *MessageService { return &MessageService{db: db} }

var _ linkwork.MessageService = (*MessageService)(nil)

const messageColumns = `m.id, m.person_id, COALESCE(m.case_id, ''), m.kind, m.channel, m.to_address, m.subject, m.body, m.send_after,
	m.created_at, m.sent_at, m.attempts, m.last_error, m.provider_id`

func scanMessage(row scanner) (*linkwork.PersonMessage, error) {
	var m linkwork.PersonMessage
	var kind, channel string
	err := row.Scan(&m.ID, &m.PersonID, &m.CaseID, &kind, &channel, &m.To, &m.Subject, &m.Body, timeDest{&m.SendAfter},
		timeDest{&m.CreatedAt}, timeDest{&m.SentAt}, &m.Attempts, &m.LastError, &m.ProviderID)
	m.Kind, m.Channel = linkwork.MessageKind(kind), linkwork.MessageChannel(channel)
	return &m, err
}

// queueMessage puts a message to person p in the outbox, by the first of
// their chosen channels the service can use, to go at sendAfter (now
// when zero). It queues nothing, and reports false, when the person has
// chosen no channel a message can take (linkwork.MessageChannelFor).
// The caller has already checked that the person agreed to this kind of
// message.
func (tx *Tx) queueMessage(p *linkwork.Person, caseID string, kind linkwork.MessageKind, subject, body string, sendAfter time.Time) (*linkwork.PersonMessage, bool, error) {
	channel, to, ok := linkwork.MessageChannelFor(p)
	if !ok {
		return nil, false, nil
	}
	if sendAfter.IsZero() {
		sendAfter = tx.now
	}
	m := &linkwork.PersonMessage{ID: uuid.NewString(), PersonID: p.ID, CaseID: caseID, Kind: kind, Channel: channel, To: to,
		Subject: subject, Body: body, SendAfter: sendAfter, CreatedAt: tx.now}
	if _, err := tx.exec(`INSERT INTO person_messages (id, person_id, case_id, kind, channel, to_address, subject, body, send_after, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.ID, m.PersonID, sv(caseID), string(kind), string(channel), to, subject, body, sendAfter, tx.now); err != nil {
		return nil, false, err
	}
	return m, true, tx.audit("message.queue", auth.KindPerson, p.ID, string(kind)+" by "+string(channel))
}

// FindMessages lists the messages to a case's person about the case,
// newest first. ENOTFOUND when the actor may not see the case.
func (s *MessageService) FindMessages(ctx context.Context, caseID string) ([]*linkwork.PersonMessage, error) {
	var out []*linkwork.PersonMessage
	err := s.db.update(ctx, func(tx *Tx) error {
		if _, err := tx.visibleCase(caseID); err != nil {
			return err
		}
		rows, err := tx.query("SELECT "+messageColumns+" FROM person_messages m WHERE m.case_id = ? ORDER BY m.created_at DESC, m.id LIMIT 200", caseID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanMessage(rows)
			if err != nil {
				return err
			}
			out = append(out, m)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return tx.audit("message.list", auth.KindCase, caseID, "")
	})
	return out, err
}
