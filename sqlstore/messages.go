package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
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
	err := s.db.audited(ctx, func(tx *Tx) error {
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

// MarkPrinted records that a letter was printed to be posted.
func (s *MessageService) MarkPrinted(ctx context.Context, id string) (*linkwork.PersonMessage, error) {
	var m *linkwork.PersonMessage
	err := s.db.update(ctx, func(tx *Tx) error {
		var err error
		m, err = scanMessage(tx.queryRow("SELECT "+messageColumns+" FROM person_messages m WHERE m.id = ?", id))
		if errors.Is(err, sql.ErrNoRows) || err == nil && m.CaseID == "" {
			return linkwork.Errorf(linkwork.ENOTFOUND, "Message not found")
		}
		if err != nil {
			return err
		}
		if _, err := tx.caseForWork(m.CaseID); err != nil {
			if linkwork.ErrorCode(err) == linkwork.ENOTFOUND {
				return linkwork.Errorf(linkwork.ENOTFOUND, "Message not found")
			}
			return err
		}
		if m.Channel != linkwork.MessageLetter {
			return linkwork.FieldErr("channel", "Only a letter is printed: this message goes by "+strings.ToLower(m.Channel.Label()))
		}
		res, err := tx.exec("UPDATE person_messages SET sent_at = ?, printed_by = ? WHERE id = ? AND sent_at IS NULL", tx.now, tx.actor.ID(), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return linkwork.Errorf(linkwork.ECONFLICT, "This letter was already marked printed")
		}
		m.SentAt = tx.now
		return tx.audit("message.print", auth.KindPerson, m.PersonID, m.ID)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// PendingMessages returns texts and emails to people whose time has come
// and that have tries left, oldest first. Letters wait to be printed.
// System only.
func (s *MessageService) PendingMessages(ctx context.Context, limit int) ([]*linkwork.PersonMessage, error) {
	var out []*linkwork.PersonMessage
	err := s.db.view(ctx, func(tx *Tx) error {
		if !tx.actor.System {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only the service itself sends messages")
		}
		_, lim := page(0, limit)
		rows, err := tx.query("SELECT "+messageColumns+` FROM person_messages m
			WHERE m.sent_at IS NULL AND m.send_after <= ? AND m.channel <> 'letter' AND m.attempts < ? ORDER BY m.send_after, m.id LIMIT ?`,
			tx.now, linkwork.MaxEmailAttempts, lim)
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
		return rows.Err()
	})
	return out, err
}

// RecordMessageAttempt records one try at sending a message: sent, with
// the sending service's id for it, or failed, to be tried again after
// retry (the message's send_after moves on). System only; ENOTFOUND for
// no such message (a withdrawn reminder); ECONFLICT when it was already
// sent or has had all its tries.
func (s *MessageService) RecordMessageAttempt(ctx context.Context, id, providerID string, sendErr error, retry time.Duration) error {
	return s.db.update(ctx, func(tx *Tx) error {
		if !tx.actor.System {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only the service itself sends messages")
		}
		return tx.recordOutboxAttempt(outboxRow{table: "person_messages", sentSet: "", notFound: "Message not found", noun: "message"}, id, providerID, sendErr, retry)
	})
}

// peopleOutboxLockKey is the PostgreSQL advisory lock taken while
// messages to people are sent.
const peopleOutboxLockKey = 0x6c776d7367 // "lwmsg"

// Exclusive runs fn while holding the people's outbox, so that one
// dispatcher sends at a time across servers. It reports false, without
// running fn, when another holds it.
func (s *MessageService) Exclusive(ctx context.Context, fn func(context.Context) error) (bool, error) {
	return s.db.exclusive(ctx, peopleOutboxLockKey, fn)
}

// pendingLinks returns the one-time links of an outbox (from names its
// table as l, with any join extra needs) whose time has come, not yet
// sent, with tries left and still open, as messages, oldest first, each
// ending with its address: linkBase followed by the token. System only.
func (db *DB) pendingLinks(ctx context.Context, limit int, from, extra, linkBase string) ([]*linkwork.PersonMessage, error) {
	var out []*linkwork.PersonMessage
	err := db.view(ctx, func(tx *Tx) error {
		if !tx.actor.System {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only the service itself sends links")
		}
		_, lim := page(0, limit)
		return tx.eachRow(`SELECT l.id, l.channel, l.to_address, l.subject, l.body, l.token, l.send_after, l.created_at, l.attempts, l.last_error
			FROM `+from+`
			WHERE l.sent_at IS NULL AND l.send_after <= ? AND l.attempts < ? AND l.used_at IS NULL AND l.withdrawn_at IS NULL AND l.expires_at > ?
			`+extra+`
			ORDER BY l.send_after, l.id LIMIT ?`, []any{tx.now, linkwork.MaxEmailAttempts, tx.now, lim}, func(row scanner) error {
			var m linkwork.PersonMessage
			var channel, token string
			if err := row.Scan(&m.ID, &channel, &m.To, &m.Subject, &m.Body, &token, timeDest{&m.SendAfter}, timeDest{&m.CreatedAt}, &m.Attempts, &m.LastError); err != nil {
				return err
			}
			m.Channel = linkwork.MessageChannel(channel)
			m.Body += "\n\n" + linkBase + token
			out = append(out, &m)
			return nil
		})
	})
	return out, err
}

// outboxRow names an outbox's table for recordOutboxAttempt: what else a
// sent row sets (sentSet, such as forgetting a token), and how a row is
// named to the caller.
type outboxRow struct {
	table, sentSet, notFound, noun string
}

// recordOutboxAttempt records one try at sending row id of an outbox:
// sent, with the sending service's id for it, or failed, to be tried
// again after retry. A channel with no service to send it does not use
// up a try: the row waits until one is configured. ENOTFOUND for no such
// row; ECONFLICT when it was already sent or has had all its tries.
func (tx *Tx) recordOutboxAttempt(o outboxRow, id, providerID string, sendErr error, retry time.Duration) error {
	var res sql.Result
	var err error
	if sendErr == nil {
		res, err = tx.exec(`UPDATE `+o.table+` SET attempts = attempts + 1, sent_at = ?, last_error = '', provider_id = ?`+o.sentSet+`
			WHERE id = ? AND sent_at IS NULL AND attempts < ?`, tx.now, providerID, id, linkwork.MaxEmailAttempts)
	} else {
		msg := strings.ReplaceAll(strings.ToValidUTF8(sendErr.Error(), "?"), "\x00", "?")
		if len(msg) > maxLastError {
			msg = strings.ToValidUTF8(msg[:maxLastError], "")
		}
		count := 1
		if errors.Is(sendErr, linkwork.ErrNotConfigured) {
			count = 0
		}
		res, err = tx.exec(`UPDATE `+o.table+` SET attempts = attempts + ?, last_error = ?, send_after = ?
			WHERE id = ? AND sent_at IS NULL AND attempts < ?`, count, msg, tx.now.Add(retry), id, linkwork.MaxEmailAttempts)
	}
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	exists, err := tx.count("SELECT COUNT(*) FROM "+o.table+" WHERE id = ?", id)
	if err != nil {
		return err
	}
	if exists == 0 {
		return linkwork.Errorf(linkwork.ENOTFOUND, "%s", o.notFound)
	}
	return linkwork.Errorf(linkwork.ECONFLICT, "This %s was already sent, or has had all %d tries", o.noun, linkwork.MaxEmailAttempts)
}
