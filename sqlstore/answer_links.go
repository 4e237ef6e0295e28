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

// AnswerLinkService implements linkwork.AnswerLinkService: one-time links
// for groups without an account to answer a referral, say whether the
// person came and whether they are still coming. The links are also
// their own outbox, sent by a notify.MessageDispatcher (PendingMessages,
// RecordMessageAttempt, Exclusive).
type AnswerLinkService struct {
	db *DB
	// PublicURL, such as https://linkwork.example.org, begins the links
	// in the messages; without it they hold the path alone.
	PublicURL string
}

// NewAnswerLinkService returns the answer link service over db.
func NewAnswerLinkService(db *DB) *AnswerLinkService { return &AnswerLinkService{db: db} }

var _ linkwork.AnswerLinkService = (*AnswerLinkService)(nil)

// answerActor is who acts through a group's link: not a user, so the
// policy grants it nothing; the store lets it answer only its own
// link's question.
func answerActor(linkID, group string) linkwork.Actor {
	return linkwork.Actor{UserID: linkwork.AnswerActorPrefix + linkID, Name: group + " (answer link)", Purpose: "answer link"}
}

// SendAnswerLink sends the group running a connection's activity a link
// to answer the question its status calls for.
func (s *AnswerLinkService) SendAnswerLink(ctx context.Context, connectionID string, r *linkwork.AnswerLinkRequest) (*linkwork.AnswerLink, error) {
	*r = r.Normalised()
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var out *linkwork.AnswerLink
	err := s.db.update(ctx, func(tx *Tx) error {
		var w where
		w.add("n.id = ?", connectionID)
		w.scope(tx.actor, auth.KindConnection, "n")
		var serviceOrg, worker, group, service string
		c, err := scanConnection(tx.queryRow("SELECT "+connectionSelect+", ck.service_org_id, ck.link_worker_id, COALESCE(ao.name, a.name), so.name "+connectionFrom+
			" LEFT JOIN organisations ao ON ao.id = a.org_id JOIN organisations so ON so.id = ck.service_org_id WHERE "+w.sql(), w.args...),
			&serviceOrg, nullString{&worker}, &group, &service)
		if errors.Is(err, sql.ErrNoRows) {
			return linkwork.Errorf(linkwork.ENOTFOUND, "Connection not found")
		}
		if err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionUpdate, auth.Record{Kind: auth.KindConnection, ServiceOrgID: serviceOrg, LinkWorkerID: worker}) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only those who work this case send its groups links")
		}
		if !c.Level.HandsOver() {
			return linkwork.FieldErr("connection_id", "A signpost leaves the first step to them: only a referral, a buddy or a phased hand-over asks the group to answer")
		}
		q, ok := linkwork.QuestionFor(c.Status)
		if !ok {
			return linkwork.FieldErr("connection_id", "This connection is "+strings.ReplaceAll(string(c.Status), "_", " ")+": there is nothing to ask the group")
		}
		if shares, err := tx.sharesWithGroups(c.PersonID); err != nil {
			return err
		} else if !shares {
			return linkwork.FieldErr("consent", linkwork.ShareConsentMessage)
		}
		if c.Status == linkwork.ConnSuggested {
			// Sending the link is contacting the group.
			if err := tx.moveConnection(c, linkwork.ConnectionMove{To: linkwork.ConnContacted, Version: c.Version}, serviceOrg, worker, ""); err != nil {
				return err
			}
		}
		if _, err := tx.exec("UPDATE connection_answer_links SET withdrawn_at = ?, token = '' WHERE connection_id = ? AND used_at IS NULL AND withdrawn_at IS NULL", tx.now, c.ID); err != nil {
			return err
		}
		l := &linkwork.AnswerLink{ConnectionID: c.ID, CaseID: c.CaseID, Question: q, Channel: r.Channel, To: r.To, Group: group, Activity: c.AssetName,
			SentByID: tx.actor.UserID, SentByName: tx.actor.Name, SendAfter: tx.now}
		if err := tx.issueAnswerLink(l, service, c.LinkWorkerName); err != nil {
			return err
		}
		out = l
		return nil
	})
	return out, err
}

// issueAnswerLink stores link l, with a new token, and its message (which
// says nothing about the person: who they are is behind the link), to go
// at l.SendAfter.
func (tx *Tx) issueAnswerLink(l *linkwork.AnswerLink, service, worker string) error {
	token := auth.NewToken()
	l.ID, l.CreatedAt, l.ExpiresAt = uuid.NewString(), tx.now, l.SendAfter.AddDate(0, 0, linkwork.AnswerLinkDays)
	subject, body := answerLinkMessage(l, service, worker)
	if _, err := tx.exec(`INSERT INTO connection_answer_links (id, connection_id, case_id, question, channel, to_address, group_name, token_hash, token, subject, body, sent_by, created_at, send_after, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, l.ID, l.ConnectionID, l.CaseID, string(l.Question), string(l.Channel), l.To, l.Group,
		auth.HashToken(token), token, subject, body, l.SentByID, l.CreatedAt, l.SendAfter, l.ExpiresAt); err != nil {
		return err
	}
	return tx.audit("answer_link.send", auth.KindConnection, l.ConnectionID, string(l.Question)+" by "+string(l.Channel)+" link="+l.ID)
}

// answerLinkMessage is the subject and body of the message carrying link
// l (the link itself is added when it is sent).
func answerLinkMessage(l *linkwork.AnswerLink, service, worker string) (string, string) {
	who := service
	if worker != "" {
		who = worker + " at " + service
	}
	works := fmt.Sprintf("You do not need an account. The link works once, for %d days. If you cannot use it, contact %s.", linkwork.AnswerLinkDays, who)
	switch l.Question {
	case linkwork.AskAttendance:
		return "Did they come to " + l.Activity + "?",
			"Thank you for taking the person " + service + " referred to " + l.Activity + ". Once they have been to their first session, " +
				"please open the link below and tell us whether they came.\n\n" + works
	case linkwork.AskStillComing:
		return "Are they still coming to " + l.Activity + "?",
			"A few weeks ago you told us that the person " + service + " referred to " + l.Activity + " came. " +
				"Please open the link below and tell us whether they are still coming.\n\n" + works
	}
	return service + " would like to refer someone to " + l.Activity,
		service + " would like to refer someone to " + l.Activity + ". Please open the link below to see who they are, how to reach them " +
			"and what helps them, and to tell us whether you can take them.\n\n" + works
}

// FindAnswerLinks lists the links sent about a case's connections, oldest
// first.
func (s *AnswerLinkService) FindAnswerLinks(ctx context.Context, caseID string) ([]*linkwork.AnswerLink, error) {
	var out []*linkwork.AnswerLink
	err := s.db.audited(ctx, func(tx *Tx) error {
		if _, err := tx.visibleCase(caseID); err != nil {
			return err
		}
		var w where
		w.add("l.case_id = ?", caseID)
		w.scope(tx.actor, auth.KindConnection, "n")
		err := tx.eachRow(`SELECT l.id, l.connection_id, l.case_id, l.question, l.channel, l.to_address, l.group_name, a.name, l.sent_by, COALESCE(u.name, ''),
			l.created_at, l.send_after, l.expires_at, l.sent_at, l.attempts, l.last_error, l.used_at, l.withdrawn_at, l.answer, l.reason
			FROM connection_answer_links l JOIN connections n ON n.id = l.connection_id JOIN assets a ON a.id = n.asset_id LEFT JOIN users u ON u.id = l.sent_by
			WHERE `+w.sql()+" ORDER BY l.created_at, l.id", w.args, func(row scanner) error {
			var l linkwork.AnswerLink
			var q, ch, answer string
			if err := row.Scan(&l.ID, &l.ConnectionID, &l.CaseID, &q, &ch, &l.To, &l.Group, &l.Activity, &l.SentByID, &l.SentByName,
				timeDest{&l.CreatedAt}, timeDest{&l.SendAfter}, timeDest{&l.ExpiresAt}, timeDest{&l.SentAt}, &l.Attempts, &l.LastError,
				timeDest{&l.UsedAt}, timeDest{&l.WithdrawnAt}, &answer, &l.Reason); err != nil {
				return err
			}
			l.Question, l.Channel, l.Answer = linkwork.AnswerQuestion(q), linkwork.LinkChannel(ch), linkwork.GroupAnswer(answer)
			out = append(out, &l)
			return nil
		})
		if err != nil {
			return err
		}
		return tx.audit("answer_link.list", auth.KindCase, caseID, "")
	})
	return out, err
}

// FindGroupContacts returns where a link to each of a case's connections'
// groups would go: what their listings publish in the directory.
func (s *AnswerLinkService) FindGroupContacts(ctx context.Context, caseID string) ([]linkwork.GroupContact, error) {
	var out []linkwork.GroupContact
	err := s.db.view(ctx, func(tx *Tx) error {
		var w where
		w.add("n.case_id = ?", caseID)
		w.scope(tx.actor, auth.KindConnection, "n")
		return tx.eachRow(`SELECT n.id, COALESCE(o.name, a.name), a.email, a.phone, COALESCE(o.email, ''), COALESCE(o.phone, ''),
				(SELECT c.email FROM asset_contacts c WHERE c.asset_id = a.id AND c.email <> '' ORDER BY c.position LIMIT 1),
				(SELECT c.phone FROM asset_contacts c WHERE c.asset_id = a.id AND c.phone <> '' ORDER BY c.position LIMIT 1)
			FROM connections n JOIN assets a ON a.id = n.asset_id LEFT JOIN organisations o ON o.id = a.org_id
			WHERE `+w.sql()+" ORDER BY n.created_at, n.id", w.args, func(row scanner) error {
			var g linkwork.GroupContact
			var email, phone, orgEmail, orgPhone, contactEmail, contactPhone string
			if err := row.Scan(&g.ConnectionID, &g.Group, &email, &phone, &orgEmail, &orgPhone, nullString{&contactEmail}, nullString{&contactPhone}); err != nil {
				return err
			}
			for _, e := range []string{contactEmail, email, orgEmail} {
				if g.Email == "" && linkwork.ValidEmail(e) {
					g.Email = e
				}
			}
			for _, m := range []string{contactPhone, phone, orgPhone} {
				if g.Mobile == "" && linkwork.ValidMobile(m) && ukMobile(m) {
					g.Mobile = m
				}
			}
			out = append(out, g)
			return nil
		})
	})
	return out, err
}

// ukMobile reports whether a phone number is a UK mobile's (07…, or
// +44 7…): a landline cannot take a text.
func ukMobile(s string) bool {
	var digits []rune
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits = append(digits, r)
		}
	}
	d := string(digits)
	return strings.HasPrefix(d, "07") || strings.HasPrefix(d, "447")
}

// openLink is a link found by its token, with its connection and who to
// contact at the service.
type openLink struct {
	id, question, group                 string
	connectionID, personID, caseID      string
	serviceOrg, worker                  string
	status                              linkwork.ConnectionStatus
	activity                            string
	workerName, workerEmail             string
	service, servicePhone, serviceEmail string
	channel, to                         string
	expires                             time.Time
}

// contact is who the group may talk to at the service, in words.
func (o *openLink) contact() string {
	who := o.service
	if o.workerName != "" {
		who = o.workerName + " at " + o.service
	}
	var ways []string
	for _, w := range []string{o.workerEmail, o.servicePhone, o.serviceEmail} {
		if w != "" && len(ways) < 2 {
			ways = append(ways, w)
		}
	}
	if len(ways) > 0 {
		who += " (" + strings.Join(ways, ", ") + ")"
	}
	return who
}

// welcome is what the link shows of the service, without the person.
func (o *openLink) welcome() *linkwork.Welcome {
	return &linkwork.Welcome{Question: linkwork.AnswerQuestion(o.question), ExpiresAt: o.expires, Activity: o.activity, Group: o.group,
		LinkWorker: o.workerName, LinkWorkerEmail: o.workerEmail, Service: o.service, ServicePhone: o.servicePhone, ServiceEmail: o.serviceEmail}
}

// openAnswerLink finds the link with the token while it is open: ENOTFOUND
// when there is none (or it is not yet sent), and ECONFLICT, saying who to
// contact, when it was used, replaced or has expired, when its connection
// has moved on from its question, or when the person no longer agrees to
// their details going to groups.
func (tx *Tx) openAnswerLink(token string) (*openLink, error) {
	o := &openLink{}
	var status string
	var sendAfter, used, withdrawn time.Time
	err := tx.queryRow(`SELECT l.id, l.question, l.group_name, l.channel, l.to_address, l.send_after, l.expires_at, l.used_at, l.withdrawn_at,
			n.id, n.person_id, n.case_id, n.status, a.name, k.service_org_id, COALESCE(k.link_worker_id, ''), COALESCE(lu.name, ''), COALESCE(lu.email, ''), so.name, so.phone, so.email
		FROM connection_answer_links l JOIN connections n ON n.id = l.connection_id JOIN assets a ON a.id = n.asset_id JOIN cases k ON k.id = n.case_id
		JOIN organisations so ON so.id = k.service_org_id LEFT JOIN users lu ON lu.id = k.link_worker_id
		WHERE l.token_hash = ?`, auth.HashToken(token)).
		Scan(&o.id, &o.question, &o.group, &o.channel, &o.to, timeDest{&sendAfter}, timeDest{&o.expires}, timeDest{&used}, timeDest{&withdrawn},
			&o.connectionID, &o.personID, &o.caseID, &status, &o.activity, &o.serviceOrg, &o.worker, &o.workerName, &o.workerEmail, &o.service, &o.servicePhone, &o.serviceEmail)
	if errors.Is(err, sql.ErrNoRows) || err == nil && tx.now.Before(sendAfter) {
		return nil, linkwork.Errorf(linkwork.ENOTFOUND, "This link is not one we sent. Check you copied all of it from the email or text message.")
	}
	if err != nil {
		return nil, err
	}
	o.status = linkwork.ConnectionStatus(status)
	switch {
	case !used.IsZero():
		return nil, linkwork.Errorf(linkwork.ECONFLICT, "This link has already been used, on %s. Thank you: there is nothing more to do. If something has changed, contact %s.",
			used.In(ukTime).Format("2 January 2006"), o.contact())
	case !withdrawn.IsZero():
		return nil, linkwork.Errorf(linkwork.ECONFLICT, "A newer link has been sent in place of this one: please use that. If you cannot find it, contact %s.", o.contact())
	case !tx.now.Before(o.expires):
		return nil, linkwork.Errorf(linkwork.ECONFLICT, "This link has expired. To tell us your answer, contact %s.", o.contact())
	case o.status != linkwork.AnswerQuestion(o.question).Awaits():
		return nil, linkwork.Errorf(linkwork.ECONFLICT, "There is nothing to answer through this link now: %s already knows. If something has changed, contact them.", o.contact())
	}
	shares, err := tx.sharesWithGroups(o.personID)
	if err != nil {
		return nil, err
	}
	if !shares {
		return nil, linkwork.Errorf(linkwork.ECONFLICT, "This referral has been withdrawn. If you have any questions, contact %s.", o.contact())
	}
	return o, nil
}

// findLink looks a link up by its token without reading the person, as
// the service, to know which link acts.
func (s *AnswerLinkService) findLink(ctx context.Context, token string) (*openLink, error) {
	var o *openLink
	err := s.db.viewAs(ctx, linkwork.SystemActor("answer link"), func(tx *Tx) error {
		var err error
		o, err = tx.openAnswerLink(token)
		return err
	})
	return o, err
}

// OpenAnswerLink returns the welcome and question of an open link, and
// records that the group read the person's details through it.
func (s *AnswerLinkService) OpenAnswerLink(ctx context.Context, token string) (*linkwork.Welcome, error) {
	found, err := s.findLink(ctx, token)
	if err != nil {
		return nil, err
	}
	var w *linkwork.Welcome
	err = s.db.auditedAs(ctx, answerActor(found.id, found.group), func(tx *Tx) error {
		o, err := tx.openAnswerLink(token)
		if err != nil {
			return err
		}
		p, err := scanPerson(tx.queryRow("SELECT "+personColumns+" FROM people p WHERE p.id = ?", o.personID))
		if err != nil {
			return err
		}
		w = o.welcome()
		w.WelcomeOf(p)
		return tx.audit("answer_link.view", auth.KindPerson, o.personID, "connection="+o.connectionID+" link="+o.id)
	})
	return w, err
}

// AnswerThroughLink records a group's reply through its link.
func (s *AnswerLinkService) AnswerThroughLink(ctx context.Context, token string, r *linkwork.GroupReply) (*linkwork.Answered, error) {
	found, err := s.findLink(ctx, token)
	if err != nil {
		return nil, err
	}
	r.Note = strings.TrimSpace(r.Note)
	if err := r.Validate(linkwork.AnswerQuestion(found.question)); err != nil {
		return nil, err
	}
	var out *linkwork.Answered
	err = s.db.updateAs(ctx, answerActor(found.id, found.group), func(tx *Tx) error {
		o, err := tx.openAnswerLink(token)
		if err != nil {
			return err
		}
		if o.id != found.id {
			return linkwork.Errorf(linkwork.ECONFLICT, "This link changed while you were answering: open it again")
		}
		c, err := scanConnection(tx.queryRow("SELECT "+connectionSelect+" "+connectionFrom+" WHERE n.id = ?", o.connectionID))
		if err != nil {
			return err
		}
		m := r.Move(c.Version)
		if err := tx.moveConnection(c, m, o.serviceOrg, o.worker, o.group+" (through its link)"); err != nil {
			return err
		}
		res, err := tx.exec("UPDATE connection_answer_links SET used_at = ?, answer = ?, reason = ?, token = '' WHERE id = ? AND used_at IS NULL AND withdrawn_at IS NULL",
			tx.now, string(r.Answer), m.Reason, o.id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return linkwork.Errorf(linkwork.ECONFLICT, "This link has already been used. Thank you: there is nothing more to do.")
		}
		detail := string(r.Answer)
		if m.Reason != "" {
			detail += " (" + m.Reason + ")"
		}
		if err := tx.audit("answer_link.answer", auth.KindConnection, o.connectionID, detail+" link="+o.id); err != nil {
			return err
		}
		out = &linkwork.Answered{Answer: r.Answer, Status: m.To, Welcome: o.welcome()}
		next, ok := r.Answer.Next()
		if !ok {
			return nil
		}
		l := &linkwork.AnswerLink{ConnectionID: o.connectionID, CaseID: o.caseID, Question: next, Channel: linkwork.LinkChannel(o.channel), To: o.to,
			Group: o.group, Activity: o.activity, SendAfter: tx.now}
		if next == linkwork.AskStillComing {
			l.SendAfter = tx.now.AddDate(0, 0, linkwork.StillComingDays)
		}
		out.Next, out.NextAfter = next, l.SendAfter
		return tx.issueAnswerLink(l, o.service, o.workerName)
	})
	return out, err
}

// PendingMessages returns the links whose time has come, not yet sent,
// with tries left and still open, as messages, oldest first. System only.
func (s *AnswerLinkService) PendingMessages(ctx context.Context, limit int) ([]*linkwork.PersonMessage, error) {
	return s.db.pendingLinks(ctx, limit, `connection_answer_links l JOIN connections n ON n.id = l.connection_id`,
		`AND n.status = CASE l.question WHEN 'referral' THEN 'contacted' WHEN 'attendance' THEN 'accepted' ELSE 'attended' END`,
		strings.TrimRight(s.PublicURL, "/")+"/answer/")
}

// RecordMessageAttempt records one try at sending a link: sent (and then
// only the token's hash is kept), or failed, to be tried again after
// retry. System only; ENOTFOUND for no such link; ECONFLICT when it was
// already sent or has had all its tries.
func (s *AnswerLinkService) RecordMessageAttempt(ctx context.Context, id, providerID string, sendErr error, retry time.Duration) error {
	return s.db.update(ctx, func(tx *Tx) error {
		if !tx.actor.System {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only the service itself sends links")
		}
		return tx.recordOutboxAttempt(outboxRow{table: "connection_answer_links", sentSet: ", token = ''", notFound: "Link not found", noun: "link"}, id, providerID, sendErr, retry)
	})
}

// answerOutboxLockKey is the PostgreSQL advisory lock taken while links
// to groups are sent.
const answerOutboxLockKey = 0x6c77616e73 // "lwans"

// Exclusive runs fn while holding the links' outbox, so that one
// dispatcher sends at a time across servers. It reports false, without
// running fn, when another holds it.
func (s *AnswerLinkService) Exclusive(ctx context.Context, fn func(context.Context) error) (bool, error) {
	return s.db.exclusive(ctx, answerOutboxLockKey, fn)
}
