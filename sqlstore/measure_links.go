package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// MeasureLinkService implements linkwork.MeasureLinkService: one-time
// links for a person to answer an outcome measure on their own phone. The
// links are their own outbox, sent by a notify.MessageDispatcher
// (PendingMessages, RecordMessageAttempt, Exclusive).
type MeasureLinkService struct {
	db *DB
	// PublicURL, such as https://linkwork.example.org, begins the links
	// in the messages; without it they hold the path alone.
	PublicURL string
}

// NewMeasureLinkService returns the measure link service over db.
func NewMeasureLinkService(db *DB) *MeasureLinkService { return &MeasureLinkService{db: db} }

var _ linkwork.MeasureLinkService = (*MeasureLinkService)(nil)

// measureLinkActor is who acts through a person's measure link: not a
// user, so the policy grants it nothing; the store lets it answer only
// its own link's measure.
func measureLinkActor(linkID string) linkwork.Actor {
	return linkwork.Actor{UserID: linkwork.MeasureActorPrefix + linkID, Name: "The person (measure link)", Purpose: "measure link"}
}

// firstName is the name a person is greeted by.
func firstName(p *linkwork.Person) string {
	if p.PreferredName != "" {
		return p.PreferredName
	}
	return p.GivenName
}

// SendMeasureLink queues a link for the case's person to answer a measure.
func (s *MeasureLinkService) SendMeasureLink(ctx context.Context, caseID string, r *linkwork.MeasureLinkRequest) (*linkwork.MeasureLink, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var out *linkwork.MeasureLink
	err := s.db.update(ctx, func(tx *Tx) error {
		k, err := tx.caseForWork(caseID)
		if err != nil {
			return err
		}
		if k.Status != linkwork.CaseActive && k.Status != linkwork.CaseEnding && k.Status != linkwork.CaseClosed {
			return linkwork.FieldErr("case_id", "A link is sent once the case has a link worker")
		}
		p, err := scanPerson(tx.queryRow("SELECT "+personColumns+" FROM people p WHERE p.id = ?", k.PersonID))
		if err != nil {
			return err
		}
		settings, err := tx.settingsFor(k.ServiceOrgID)
		if err != nil {
			return err
		}
		if age := p.DateOfBirth.AgeOn(linkwork.DateOf(tx.now.In(ukTime))); !p.DateOfBirth.IsZero() && !settings.Measures.Offers(r.Instrument, age) {
			return linkwork.FieldErr("instrument", settings.Measures.NotOffered(r.Instrument, age))
		}
		if !settings.Measures.Answerable(r.Instrument) {
			return linkwork.FieldErr("instrument", r.Instrument.Label()+"'s wording is licensed: a coordinator enters your service's wording in the service settings before people answer it on their own")
		}
		channel, to, ok := linkwork.MeasureLinkChannelFor(p)
		if !ok {
			return linkwork.FieldErr("contact", linkwork.NoLinkChannel)
		}
		if _, err := tx.exec("UPDATE measure_links SET withdrawn_at = ?, token = '' WHERE case_id = ? AND instrument = ? AND timepoint = ? AND used_at IS NULL AND withdrawn_at IS NULL",
			tx.now, k.ID, string(r.Instrument), string(r.Timepoint)); err != nil {
			return err
		}
		var service string
		if err := tx.queryRow("SELECT name FROM organisations WHERE id = ?", k.ServiceOrgID).Scan(&service); err != nil {
			return err
		}
		l := &linkwork.MeasureLink{ID: uuid.NewString(), CaseID: k.ID, PersonID: k.PersonID, Instrument: r.Instrument, Timepoint: r.Timepoint, Channel: channel, To: to,
			SentByID: tx.actor.UserID, SentByName: tx.actor.Name, CreatedAt: tx.now, ExpiresAt: tx.now.AddDate(0, 0, linkwork.MeasureLinkDays)}
		token := auth.NewToken()
		subject, body := measureLinkMessage(firstName(p), service, k.LinkWorkerName)
		if _, err := tx.exec(`INSERT INTO measure_links (id, case_id, person_id, instrument, timepoint, channel, to_address, token_hash, token, subject, body, sent_by, created_at, send_after, expires_at)
			VALUES (`+placeholders(15)+`)`, l.ID, l.CaseID, l.PersonID, string(l.Instrument), string(l.Timepoint), string(l.Channel), l.To,
			auth.HashToken(token), token, subject, body, l.SentByID, l.CreatedAt, l.CreatedAt, l.ExpiresAt); err != nil {
			return err
		}
		out = l
		return tx.audit("measure_link.send", auth.KindCase, k.ID, string(l.Instrument)+" at "+string(l.Timepoint)+" by "+string(l.Channel)+" link="+l.ID)
	})
	return out, err
}

// measureLinkMessage is the subject and body of the message carrying a
// measure link (the link itself is added when it is sent). It names no
// measure and nothing about why they are supported: a text may be read
// by someone else.
func measureLinkMessage(first, service, worker string) (string, string) {
	who := service
	if worker != "" {
		who = worker + " at " + service
	}
	return "A few questions from " + service,
		fmt.Sprintf("Hi %s, %s would like to know how you are getting on. Please open the link below and answer a few short questions: it takes a couple of minutes. "+
			"You do not need an account. The link works once, for %d days.", first, who, linkwork.MeasureLinkDays)
}

// FindMeasureLinks lists a case's measure links, oldest first.
func (s *MeasureLinkService) FindMeasureLinks(ctx context.Context, caseID string) ([]*linkwork.MeasureLink, error) {
	var out []*linkwork.MeasureLink
	err := s.db.audited(ctx, func(tx *Tx) error {
		if _, err := tx.visibleCase(caseID); err != nil {
			return err
		}
		err := tx.eachRow(`SELECT l.id, l.case_id, l.person_id, l.instrument, l.timepoint, l.channel, l.to_address, l.sent_by, COALESCE(u.name, ''),
			l.created_at, l.expires_at, l.sent_at, l.attempts, l.last_error, l.used_at, l.withdrawn_at, l.measure_id
			FROM measure_links l LEFT JOIN users u ON u.id = l.sent_by WHERE l.case_id = ? ORDER BY l.created_at, l.id`, []any{caseID}, func(row scanner) error {
			var l linkwork.MeasureLink
			var instr, tp, ch string
			if err := row.Scan(&l.ID, &l.CaseID, &l.PersonID, &instr, &tp, &ch, &l.To, &l.SentByID, &l.SentByName,
				timeDest{&l.CreatedAt}, timeDest{&l.ExpiresAt}, timeDest{&l.SentAt}, &l.Attempts, &l.LastError, timeDest{&l.UsedAt}, timeDest{&l.WithdrawnAt}, &l.MeasureID); err != nil {
				return err
			}
			l.Instrument, l.Timepoint, l.Channel = linkwork.Instrument(instr), linkwork.Timepoint(tp), linkwork.LinkChannel(ch)
			out = append(out, &l)
			return nil
		})
		if err != nil {
			return err
		}
		return tx.audit("measure_link.list", auth.KindCase, caseID, "")
	})
	return out, err
}

// openMeasure is an open measure link found by its token.
type openMeasure struct {
	id, caseID, personID, serviceOrg, worker string
	instrument                               linkwork.Instrument
	timepoint                                linkwork.Timepoint
	service, workerName, servicePhone        string
	expires                                  time.Time
}

// contact is who the person may talk to at the service, in words.
func (o *openMeasure) contact() string {
	who := o.service
	if o.workerName != "" {
		who = o.workerName + " at " + o.service
	}
	if o.servicePhone != "" {
		who += " (" + o.servicePhone + ")"
	}
	return who
}

// openMeasureLink finds the link with the token while it is open:
// ENOTFOUND when there is none (or it is not yet sent), and ECONFLICT,
// saying who to contact, when it was used, replaced or has expired, or
// the case has closed.
func (tx *Tx) openMeasureLink(token string) (*openMeasure, error) {
	o := &openMeasure{}
	var instr, tp, status string
	var sendAfter, used, withdrawn time.Time
	err := tx.queryRow(`SELECT l.id, l.case_id, l.person_id, l.instrument, l.timepoint, l.send_after, l.expires_at, l.used_at, l.withdrawn_at,
			k.status, k.service_org_id, COALESCE(k.link_worker_id, ''), COALESCE(lu.name, ''), so.name, so.phone
		FROM measure_links l JOIN cases k ON k.id = l.case_id JOIN organisations so ON so.id = k.service_org_id LEFT JOIN users lu ON lu.id = k.link_worker_id
		WHERE l.token_hash = ?`, auth.HashToken(token)).
		Scan(&o.id, &o.caseID, &o.personID, &instr, &tp, timeDest{&sendAfter}, timeDest{&o.expires}, timeDest{&used}, timeDest{&withdrawn},
			&status, &o.serviceOrg, &o.worker, &o.workerName, &o.service, &o.servicePhone)
	if errors.Is(err, sql.ErrNoRows) || err == nil && tx.now.Before(sendAfter) {
		return nil, linkwork.Errorf(linkwork.ENOTFOUND, "This link is not one we sent. Check you copied all of it from the email or text message.")
	}
	if err != nil {
		return nil, err
	}
	o.instrument, o.timepoint = linkwork.Instrument(instr), linkwork.Timepoint(tp)
	switch {
	case !used.IsZero():
		return nil, linkwork.Errorf(linkwork.ECONFLICT, "You have already answered through this link, on %s. Thank you: there is nothing more to do.", used.In(ukTime).Format("2 January 2006"))
	case !withdrawn.IsZero():
		return nil, linkwork.Errorf(linkwork.ECONFLICT, "A newer link has been sent in place of this one: please use that. If you cannot find it, contact %s.", o.contact())
	case !tx.now.Before(o.expires):
		return nil, linkwork.Errorf(linkwork.ECONFLICT, "This link has expired. If you would still like to answer, contact %s.", o.contact())
	case linkwork.CaseStatus(status) == linkwork.CaseWaiting:
		return nil, linkwork.Errorf(linkwork.ECONFLICT, "This link does not work now. Contact %s.", o.contact())
	}
	return o, nil
}

// findMeasureLink looks a link up by its token without reading the
// person, as the service, to know which link acts.
func (s *MeasureLinkService) findMeasureLink(ctx context.Context, token string) (*openMeasure, error) {
	var o *openMeasure
	err := s.db.viewAs(ctx, linkwork.SystemActor("measure link"), func(tx *Tx) error {
		var err error
		o, err = tx.openMeasureLink(token)
		return err
	})
	return o, err
}

// invite is what the open link o shows the person p.
func (tx *Tx) invite(o *openMeasure, p *linkwork.Person) (*linkwork.MeasureInvite, error) {
	settings, err := tx.settingsFor(o.serviceOrg)
	if err != nil {
		return nil, err
	}
	today := linkwork.DateOf(tx.now.In(ukTime))
	return &linkwork.MeasureInvite{FirstName: firstName(p), Instrument: o.instrument, Timepoint: o.timepoint, Wording: settings.Measures.ItemWording(o.instrument),
		Emoji: linkwork.EmojiScaleFor(p, today), Service: o.service, ExpiresAt: o.expires}, nil
}

// OpenMeasureLink returns what an open link shows, and records that the
// person's first name was read through it.
func (s *MeasureLinkService) OpenMeasureLink(ctx context.Context, token string) (*linkwork.MeasureInvite, error) {
	found, err := s.findMeasureLink(ctx, token)
	if err != nil {
		return nil, err
	}
	var out *linkwork.MeasureInvite
	err = s.db.auditedAs(ctx, measureLinkActor(found.id), func(tx *Tx) error {
		o, err := tx.openMeasureLink(token)
		if err != nil {
			return err
		}
		p, err := scanPerson(tx.queryRow("SELECT "+personColumns+" FROM people p WHERE p.id = ?", o.personID))
		if err != nil {
			return err
		}
		if out, err = tx.invite(o, p); err != nil {
			return err
		}
		return tx.audit("measure_link.view", auth.KindPerson, o.personID, "case="+o.caseID+" link="+o.id)
	})
	return out, err
}

// AnswerMeasureLink records the person's answers through their link.
func (s *MeasureLinkService) AnswerMeasureLink(ctx context.Context, token string, answers []*int) (*linkwork.MeasureResponse, error) {
	found, err := s.findMeasureLink(ctx, token)
	if err != nil {
		return nil, err
	}
	m := &linkwork.MeasureResponse{CaseID: found.caseID, PersonID: found.personID, Instrument: found.instrument, Timepoint: found.timepoint,
		Answers: answers, CompletedBy: linkwork.CompletedByPerson}
	if err := score(m); err != nil {
		return nil, err
	}
	err = s.db.updateAs(ctx, measureLinkActor(found.id), func(tx *Tx) error {
		o, err := tx.openMeasureLink(token)
		if err != nil {
			return err
		}
		if o.id != found.id {
			return linkwork.Errorf(linkwork.ECONFLICT, "This link changed while you were answering: open it again")
		}
		if err := tx.insertMeasure(m); err != nil {
			return err
		}
		res, err := tx.exec("UPDATE measure_links SET used_at = ?, measure_id = ?, token = '' WHERE id = ? AND used_at IS NULL AND withdrawn_at IS NULL", tx.now, m.ID, o.id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return linkwork.Errorf(linkwork.ECONFLICT, "You have already answered through this link. Thank you: there is nothing more to do.")
		}
		if err := tx.audit("measure_link.answer", auth.KindCase, o.caseID, string(m.Instrument)+" at "+string(m.Timepoint)+" measure="+m.ID+" link="+o.id); err != nil {
			return err
		}
		if o.worker == "" {
			return nil
		}
		var given, preferred, family string
		if err := tx.queryRow("SELECT given_name, preferred_name, family_name FROM people WHERE id = ?", o.personID).Scan(&given, &preferred, &family); err != nil {
			return err
		}
		name := displayName(given, preferred, family)
		return tx.insertNotification(&linkwork.Notification{Kind: linkwork.NoteMeasureCompleted, UserID: o.worker, OrgID: o.serviceOrg,
			Subject: name + " completed " + m.Instrument.Label(),
			Body:    fmt.Sprintf("%s answered %s (%s) through the link you sent. Their answers and the change since their last are on their case.", name, m.Instrument.Label(), strings.ToLower(m.Timepoint.Label())),
			Link:    "/cases/" + o.caseID + "#measures", CreatedAt: tx.now})
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// PendingMessages returns the links whose time has come, not yet sent,
// with tries left and still open, as messages, oldest first. System only.
func (s *MeasureLinkService) PendingMessages(ctx context.Context, limit int) ([]*linkwork.PersonMessage, error) {
	return s.db.pendingLinks(ctx, limit, `measure_links l`, ``, strings.TrimRight(s.PublicURL, "/")+"/measure/")
}

// RecordMessageAttempt records one try at sending a link: sent (and then
// only the token's hash is kept), or failed, to be tried again after
// retry. System only.
func (s *MeasureLinkService) RecordMessageAttempt(ctx context.Context, id, providerID string, sendErr error, retry time.Duration) error {
	return s.db.update(ctx, func(tx *Tx) error {
		if !tx.actor.System {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only the service itself sends links")
		}
		return tx.recordOutboxAttempt(outboxRow{table: "measure_links", sentSet: ", token = ''", notFound: "Link not found", noun: "link"}, id, providerID, sendErr, retry)
	})
}

// measureOutboxLockKey is the PostgreSQL advisory lock taken while links
// to answer measures are sent.
const measureOutboxLockKey = 0x6c776d6c6b // "lwmlk"

// Exclusive runs fn while holding the links' outbox, so that one
// dispatcher sends at a time across servers.
func (s *MeasureLinkService) Exclusive(ctx context.Context, fn func(context.Context) error) (bool, error) {
	return s.db.exclusive(ctx, measureOutboxLockKey, fn)
}
