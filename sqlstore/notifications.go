package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// The outbox. A change that someone should hear about writes its
// notifications in its own transaction, so none is lost and none is sent
// for a change that rolled back.
//
// A notification is either shown in the app (to a user, or to everyone in
// an organisation) or emailed (to an address), never both: email is not a
// secure channel, so the emailed text is written separately and names the
// person by initials and the referral's reference only, never by name,
// date of birth or any reason. The app's text may say more, because it is
// read by someone signed in who may already see the referral.

// NotificationService implements linkwork.NotificationService.
type NotificationService struct{ db *DB }

// NewNotificationService returns the outbox over db.
func NewNotificationService(db *DB) *NotificationService { return &NotificationService{db: db} }

var _ linkwork.NotificationService = (*NotificationService)(nil)

// maxLastError bounds the SMTP error kept on a notification.
const maxLastError = 500

const notificationColumns = `n.id, n.kind, n.user_id, n.org_id, n.email, n.subject, n.body, n.link, n.referral_id,
	n.created_at, n.read_at, n.sent_at, n.attempts, n.last_error`

func scanNotification(row scanner) (*linkwork.Notification, error) {
	var n linkwork.Notification
	var kind string
	err := row.Scan(&n.ID, &kind, nullString{&n.UserID}, nullString{&n.OrgID}, &n.Email, &n.Subject, &n.Body, &n.Link, nullString{&n.ReferralID},
		timeDest{&n.CreatedAt}, timeDest{&n.ReadAt}, timeDest{&n.SentAt}, &n.Attempts, &n.LastError)
	n.Kind = linkwork.NotificationKind(kind)
	return &n, err
}

func (tx *Tx) insertNotification(n *linkwork.Notification) error {
	n.ID, n.CreatedAt = uuid.NewString(), tx.now
	_, err := tx.exec(`INSERT INTO notifications (id, kind, user_id, org_id, email, subject, body, link, referral_id, created_at)
		VALUES (`+placeholders(10)+`)`,
		n.ID, string(n.Kind), sv(n.UserID), sv(n.OrgID), n.Email, n.Subject, n.Body, n.Link, sv(n.ReferralID), n.CreatedAt)
	return err
}

// noteFacts is what the messages about one referral draw on.
type noteFacts struct {
	r         *linkwork.Referral
	service   string // the service's name
	firstName string // for the app only
	initials  string // for email
	ref       string
	link      string
	person    struct {
		email    string
		channels []linkwork.Channel
	}
}

// referralFacts reads what the messages about a referral need: the
// referral itself (when the caller gave only its id), the person's names
// and the service's name.
func (tx *Tx) referralFacts(r *linkwork.Referral) (*noteFacts, error) {
	if r.ServiceOrgID == "" || r.PersonID == "" {
		full, err := scanReferral(tx.queryRow("SELECT "+referralSelect+" "+referralFrom+" WHERE r.id = ?", r.ID))
		if err != nil {
			return nil, fmt.Errorf("notify: read referral %s: %w", r.ID, err)
		}
		r = full
	}
	f := &noteFacts{r: r, ref: r.Reference(), link: "/referrals/" + r.ID}
	var given, preferred, family, channels string
	if err := tx.queryRow("SELECT given_name, preferred_name, family_name, email, contact_channels FROM people WHERE id = ?", r.PersonID).
		Scan(&given, &preferred, &family, &f.person.email, &channels); err != nil {
		return nil, fmt.Errorf("notify: read person of referral %s: %w", r.ID, err)
	}
	for _, c := range strings.Split(channels, ",") {
		if c != "" {
			f.person.channels = append(f.person.channels, linkwork.Channel(c))
		}
	}
	f.firstName = given
	if preferred != "" {
		f.firstName = preferred
	}
	f.initials = initials(f.firstName, family)
	if err := tx.queryRow("SELECT name FROM organisations WHERE id = ?", r.ServiceOrgID).Scan(&f.service); err != nil {
		return nil, fmt.Errorf("notify: read service of referral %s: %w", r.ID, err)
	}
	return f, nil
}

// initials turns a name into "A.B.": all email says of who a referral is
// for.
func initials(names ...string) string {
	var b strings.Builder
	for _, n := range names {
		for w := range strings.FieldsSeq(n) {
			if r, _ := utf8.DecodeRuneInString(w); unicode.IsLetter(r) {
				b.WriteRune(unicode.ToUpper(r))
				b.WriteByte('.')
			}
		}
	}
	if b.Len() == 0 {
		return "the person"
	}
	return b.String()
}

// audience is who hears about a referral on the referrer's side: a
// referrer user in the app and by email, or, when the referral was
// recorded by the service's staff for another organisation, or its
// referrer's account is disabled, everyone in the referring organisation
// in the app. A nil audience is nobody.
type audience struct {
	userID string
	orgID  string
	email  string
}

// yours says whose referral it is, as the audience reads it.
func (a *audience) yours() string {
	if a.userID == "" {
		return "your organisation's referral"
	}
	return "your referral"
}

func (tx *Tx) referrerAudience(r *linkwork.Referral) (*audience, error) {
	orgWide := func(org string) *audience {
		if org == "" || org == r.ServiceOrgID {
			return nil
		}
		return &audience{orgID: org}
	}
	if r.ReferrerUserID == "" {
		return orgWide(r.ReferrerOrgID), nil
	}
	var role, org, email string
	var disabled bool
	err := tx.queryRow("SELECT role, org_id, email, disabled FROM users WHERE id = ?", r.ReferrerUserID).Scan(&role, &org, &email, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return orgWide(r.ReferrerOrgID), nil
	}
	if err != nil {
		return nil, err
	}
	switch {
	case linkwork.Role(role) != linkwork.RoleReferrer:
		// Staff recording a walk-in or a call: they need no notice of
		// their own action, but a practice that phoned one in does.
		return orgWide(r.ReferrerOrgID), nil
	case disabled:
		// They have left: their colleagues hear instead, and nothing is
		// emailed to an address that may no longer be theirs.
		return orgWide(org), nil
	}
	return &audience{userID: r.ReferrerUserID, orgID: org, email: email}, nil
}

// send writes the app's message to the audience and, when it has an
// address, the email's.
func (tx *Tx) send(a *audience, kind linkwork.NotificationKind, f *noteFacts, app, email message) error {
	if a == nil {
		return nil
	}
	if err := tx.insertNotification(&linkwork.Notification{Kind: kind, UserID: a.userID, OrgID: a.orgID, Subject: app.subject, Body: app.body,
		Link: f.link, ReferralID: f.r.ID}); err != nil {
		return err
	}
	if a.email == "" {
		return nil
	}
	return tx.insertNotification(&linkwork.Notification{Kind: kind, Email: a.email, Subject: email.subject, Body: email.body + emailFooter(f),
		Link: f.link, ReferralID: f.r.ID})
}

type message struct{ subject, body string }

func emailFooter(f *noteFacts) string {
	return "\n\nThis email leaves out the person's name and anything about their circumstances, because email is not a secure channel. " +
		"Sign in to linkwork to see the referral (reference " + f.ref + ")."
}

// notifyReferral tells those who should hear about a change to a referral,
// in the transaction that made it: kind says which change.
//
//   - NoteReferralReceived: the referrer is told it arrived (in the app and
//     by email). Someone who referred themself or a family member on the
//     public form, and left an email address they may be contacted at, is
//     sent an acknowledgement with the reference, what happens next and
//     what to do in a crisis.
//   - NoteReferralDecided: the referrer is told the decision: accepted
//     (waiting, or allocated), declined with the reason and where the
//     person was directed instead, deferred to a date, or withdrawn.
//     Moving into triage is not a decision and sends nothing. People who
//     used the public form are not emailed about decisions: the service
//     contacts them in the way they asked.
//   - NoteReferralReturned: the service's coordinators are told that a
//     deferred referral is back for review.
//
// Staff are never notified of their own actions.
func (tx *Tx) notifyReferral(r *linkwork.Referral, kind linkwork.NotificationKind) error {
	f, err := tx.referralFacts(r)
	if err != nil {
		return err
	}
	r = f.r
	switch kind {
	case linkwork.NoteReferralReceived:
		if r.ReferrerUserID == "" && (r.Pathway == linkwork.PathwaySelf || r.Pathway == linkwork.PathwayFamily) {
			return tx.acknowledgePublic(f)
		}
		a, err := tx.referrerAudience(r)
		if err != nil {
			return err
		}
		return tx.send(a, kind, f, message{
			subject: "Referral received: " + f.firstName + " (" + f.ref + ")",
			body: fmt.Sprintf("%s has received %s for %s. The reference is %s.\n\nThe team will screen it and decide whether social prescribing is right for %s now. You will hear here when they decide.",
				f.service, yoursOr(a), f.firstName, f.ref, f.firstName),
		}, message{
			subject: "Referral received (" + f.ref + ")",
			body: fmt.Sprintf("%s has received your referral for %s, reference %s.\n\nThe team will screen it and decide whether social prescribing is right for them now. You will be told when they decide.",
				f.service, f.initials, f.ref),
		})
	case linkwork.NoteReferralDecided:
		if r.Status == linkwork.ReferralReceived || r.Status == linkwork.ReferralTriage {
			return nil
		}
		if r.ReferrerUserID == "" && (r.Pathway == linkwork.PathwaySelf || r.Pathway == linkwork.PathwayFamily) {
			return nil
		}
		a, err := tx.referrerAudience(r)
		if err != nil || a == nil {
			return err
		}
		app, email, err := tx.decisionMessages(f, a)
		if err != nil {
			return err
		}
		return tx.send(a, kind, f, app, email)
	case linkwork.NoteReferralReturned:
		return tx.notifyCoordinators(f)
	}
	return fmt.Errorf("notify: %q is not a referral notification", kind)
}

func yoursOr(a *audience) string {
	if a == nil {
		return "the referral"
	}
	return a.yours()
}

// decisionMessages says a triage decision, in the app and by email.
func (tx *Tx) decisionMessages(f *noteFacts, a *audience) (app, email message, err error) {
	r := f.r
	name, ref := f.firstName, f.ref
	app.subject = "Referral " + strings.ToLower(r.Status.Label()) + ": " + name + " (" + ref + ")"
	email.subject = "Referral " + strings.ToLower(r.Status.Label()) + " (" + ref + ")"
	var b strings.Builder
	switch r.Status {
	case linkwork.ReferralAccepted:
		var worker string
		if r.CaseID != "" {
			if err := tx.queryRow("SELECT COALESCE(u.name, '') FROM cases k LEFT JOIN users u ON u.id = k.link_worker_id WHERE k.id = ?", r.CaseID).Scan(&worker); err != nil {
				return app, email, fmt.Errorf("notify: read case of referral %s: %w", r.ID, err)
			}
		}
		fmt.Fprintf(&b, "%s has accepted %s for %s (%s).\n\n", f.service, a.yours(), name, ref)
		if worker != "" {
			fmt.Fprintf(&b, "%s, a link worker, will support %s and will be in touch with them.", worker, name)
			email.body = fmt.Sprintf("%s has accepted your referral for %s (%s), and a link worker will be in touch with them.", f.service, f.initials, ref)
		} else {
			fmt.Fprintf(&b, "%s is on the waiting list. The service will be in touch with them when a link worker is free.", name)
			email.body = fmt.Sprintf("%s has accepted your referral for %s (%s). They are on the waiting list, and the service will be in touch with them when a link worker is free.", f.service, f.initials, ref)
		}
	case linkwork.ReferralDeclined:
		fmt.Fprintf(&b, "%s has not accepted %s for %s (%s).\n\nWhy: %s\n\nWhere %s was directed instead: %s",
			f.service, a.yours(), name, ref, orNotGiven(r.StatusReason), name, orNotGiven(r.OnwardDestination))
		email.body = fmt.Sprintf("%s has not accepted your referral for %s (%s). Sign in to read why, and where they were directed instead.", f.service, f.initials, ref)
	case linkwork.ReferralDeferred:
		when := r.DeferUntil.Time().Format("Monday 2 January 2006")
		fmt.Fprintf(&b, "%s has deferred %s for %s (%s). The team will look at it again on %s.", f.service, a.yours(), name, ref, when)
		if r.StatusReason != "" {
			fmt.Fprintf(&b, "\n\nWhy: %s", r.StatusReason)
		}
		email.body = fmt.Sprintf("%s has deferred your referral for %s (%s). The team will look at it again on %s.", f.service, f.initials, ref, when)
	case linkwork.ReferralWithdrawn:
		fmt.Fprintf(&b, "%s for %s (%s) has been withdrawn.\n\nWhy: %s", capitalise(a.yours()), name, ref, orNotGiven(r.StatusReason))
		email.body = fmt.Sprintf("Your referral for %s (%s) to %s has been withdrawn. Sign in to read why.", f.initials, ref, f.service)
	default:
		return app, email, fmt.Errorf("notify: a referral that is %s has no decision to tell", r.Status)
	}
	app.body = b.String()
	return app, email, nil
}

func orNotGiven(s string) string {
	if s = strings.TrimSpace(s); s == "" {
		return "not given"
	}
	return s
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// notifyCoordinators tells each coordinator of the service that a deferred
// referral is back in the queue.
func (tx *Tx) notifyCoordinators(f *noteFacts) error {
	rows, err := tx.query("SELECT id FROM users WHERE org_id = ? AND role = ? AND disabled = FALSE ORDER BY id", f.r.ServiceOrgID, string(linkwork.RoleCoordinator))
	if err != nil {
		return err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	body := fmt.Sprintf("The referral for %s (%s) was deferred", f.firstName, f.ref)
	if !f.r.DeferUntil.IsZero() {
		body += " until " + f.r.DeferUntil.Time().Format("Monday 2 January 2006")
	}
	body += ". It is back in the triage queue, first in the team meeting's list, for the team to review."
	for _, id := range ids {
		if err := tx.insertNotification(&linkwork.Notification{Kind: linkwork.NoteReferralReturned, UserID: id, OrgID: f.r.ServiceOrgID,
			Subject: "Back for review: " + f.firstName + " (" + f.ref + ")", Body: body, Link: f.link, ReferralID: f.r.ID}); err != nil {
			return err
		}
	}
	return nil
}

// notifyRisk tells the service's safeguarding leads and coordinators at
// once that a referral disclosed a possible risk: in the app, naming the
// person and what was found, and by email to each one's address, which
// says only that a referral needs review today and its reference.
func (tx *Tx) notifyRisk(r *linkwork.Referral) error {
	f, err := tx.referralFacts(r)
	if err != nil {
		return err
	}
	rows, err := tx.query("SELECT id, email FROM users WHERE org_id = ? AND role IN (?, ?) AND disabled = FALSE ORDER BY id",
		r.ServiceOrgID, string(linkwork.RoleSafeguarding), string(linkwork.RoleCoordinator))
	if err != nil {
		return err
	}
	var to []audience
	for rows.Next() {
		var a audience
		if err := rows.Scan(&a.userID, &a.email); err != nil {
			rows.Close()
			return err
		}
		a.orgID = r.ServiceOrgID
		to = append(to, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var found []string
	for _, m := range r.Risk.Matched {
		found = append(found, "“"+m.Text+"”")
	}
	app := message{
		subject: "Possible risk, review today: " + f.firstName + " (" + f.ref + ")",
		body: fmt.Sprintf("The referral for %s (%s) disclosed a possible risk: %s.\n\nIt is first in the triage queue. Read it today, act on it, and record what was done (or why it is not a risk) on the referral.",
			f.firstName, f.ref, strings.Join(found, ", ")),
	}
	email := message{
		subject: "A referral needs review today (" + f.ref + ")",
		body:    fmt.Sprintf("A referral to %s (%s) disclosed a possible risk and needs review today. Sign in to read it and record what was done.", f.service, f.ref),
	}
	for i := range to {
		if err := tx.send(&to[i], linkwork.NoteRiskFlagged, f, app, email); err != nil {
			return err
		}
	}
	return nil
}

// acknowledgePublic emails someone who used the public form, when they
// left an address to be contacted at: a self-referrer's own email, when
// they chose no channels or chose email; a family member's contact, when
// it is an email address.
func (tx *Tx) acknowledgePublic(f *noteFacts) error {
	r := f.r
	var to, hello, body string
	switch r.Pathway {
	case linkwork.PathwaySelf:
		if len(f.person.channels) > 0 && !slices.Contains(f.person.channels, linkwork.ChannelEmail) {
			return nil
		}
		to = emailAddress(f.person.email)
		hello = "Hello,"
		body = fmt.Sprintf("Thank you for getting in touch with %s. We have received your referral. Your reference is %s: please quote it if you contact us.\n\n"+
			"What happens next: the team will read your referral and get in touch with you, in the way you asked, to talk about what might help.", f.service, f.ref)
	case linkwork.PathwayFamily:
		to = emailAddress(r.ReferrerContact)
		hello = "Hello,"
		if n := strings.TrimSpace(r.ReferrerName); n != "" && !strings.ContainsAny(n, "\r\n") {
			hello = "Hello " + n + ","
		}
		body = fmt.Sprintf("Thank you for your referral for %s to %s. We have received it. The reference is %s: please quote it if you contact us.\n\n"+
			"What happens next: the team will read the referral and get in touch, in the way the referral asked, to talk about what might help.", f.initials, f.service, f.ref)
	}
	if to == "" {
		return nil
	}
	set, err := tx.settingsFor(r.ServiceOrgID)
	if err != nil {
		return err
	}
	crisis, contact := set.CrisisAdvice, strings.TrimSpace(set.Contact)
	if strings.TrimSpace(crisis) == "" {
		crisis = linkwork.DefaultCrisisAdvice
	}
	if !strings.Contains(strings.ToLower(crisis), "not an emergency service") {
		crisis = "This is not an emergency service. " + crisis
	}
	var b strings.Builder
	if r.Risk.State == linkwork.RiskReviewToday {
		// Someone who disclosed a risk reads what to do in a crisis first,
		// and that the form is read today: never to wait days.
		b.WriteString(hello + "\n\n" + strings.TrimSpace(crisis) + "\n\n" + linkwork.PublicWhatNext(r) +
			"\n\nThank you for getting in touch with " + f.service + ". Your reference is " + f.ref + ": please quote it if you contact us.")
	} else {
		b.WriteString(hello + "\n\n" + body + "\n\n" + strings.TrimSpace(crisis))
	}
	if contact != "" {
		b.WriteString("\n\nTo contact us: " + contact)
	}
	b.WriteString("\n\nYou are receiving this email because this address was given on our referral form. If that was not you, please let us know.\n\n" + f.service)
	return tx.insertNotification(&linkwork.Notification{Kind: linkwork.NoteReferralReceived, Email: to,
		Subject: "We have received your referral (" + f.ref + ")", Body: b.String(), ReferralID: r.ID})
}

// emailAddress returns the address s names when all of it is one email
// address, and "" otherwise.
func emailAddress(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, "\r\n") {
		return ""
	}
	a, err := mail.ParseAddress(s)
	if err != nil || !strings.Contains(a.Address, "@") {
		return ""
	}
	return a.Address
}

// notifyCaseClosed sends the referrer the message back when the support
// their referral led to has ended: built from the case (dates, sessions
// attended, connections made, the change in goals and measures, why it
// ended and the summary) only when the person agreed to share it with them
// (and has not withdrawn that since); otherwise only that it ended. The
// email says no more than that it ended and where to read it.
func (tx *Tx) notifyCaseClosed(c *linkwork.Case) error {
	if c.ReferralID == "" {
		return nil
	}
	f, err := tx.referralFacts(&linkwork.Referral{ID: c.ReferralID})
	if err != nil {
		return err
	}
	a, err := tx.referrerAudience(f.r)
	if err != nil || a == nil {
		return err
	}
	f.r.CaseID = c.ID
	o, err := tx.caseOutcome(f.r)
	if err != nil {
		return err
	}
	name := f.firstName
	var b strings.Builder
	fmt.Fprintf(&b, "%s's support from %s, after %s (%s), has ended.", name, f.service, a.yours(), f.ref)
	if o.Shared {
		b.WriteString("\n\n" + o.Text())
	} else {
		fmt.Fprintf(&b, "\n\n%s did not agree to share details of their support with the referrer, so there is no more to tell.", name)
	}
	return tx.send(a, linkwork.NoteCaseClosed, f, message{
		subject: "Support ended: " + name + " (" + f.ref + ")",
		body:    b.String(),
	}, message{
		subject: "Support ended (" + f.ref + ")",
		body:    fmt.Sprintf("The support %s gave %s after your referral (%s) has ended. Sign in to read what happened, as far as they agreed to share it.", f.service, f.initials, f.ref),
	})
}

// sharesWithReferrer reports whether the referral's person agreed to share
// progress and outcome with the referrer: the latest answer they gave
// since the referral (asked again on closing) when there is one, and
// otherwise what the referral says.
func (tx *Tx) sharesWithReferrer(r *linkwork.Referral) (bool, error) {
	var given bool
	err := tx.queryRow("SELECT given FROM consents WHERE person_id = ? AND kind = ? AND recorded_at >= ? ORDER BY recorded_at DESC, id LIMIT 1",
		r.PersonID, string(linkwork.ConsentShareReferrer), tv(r.ReceivedAt)).Scan(&given)
	if errors.Is(err, sql.ErrNoRows) {
		return r.ConsentSharing, nil
	}
	return given, err
}

// FindNotifications returns a page of the actor's notifications: those to
// them, and those to everyone in their organisation.
func (s *NotificationService) FindNotifications(ctx context.Context, unreadOnly bool, offset, limit int) ([]*linkwork.Notification, int, int, error) {
	var out []*linkwork.Notification
	var total, unread int
	err := s.db.audited(ctx, func(tx *Tx) error {
		w := tx.notificationScope()
		var err error
		if unread, err = tx.count("SELECT COUNT(*) FROM notifications n WHERE "+w.sql()+" AND n.read_at IS NULL", w.args...); err != nil {
			return err
		}
		if unreadOnly {
			w.add("n.read_at IS NULL")
		}
		out, total, err = queryPage(tx, "FROM notifications n", "", w, "n.created_at DESC, n.id DESC", offset, limit, scanNotification, notificationColumns)
		if err != nil || len(out) == 0 {
			return err
		}
		var ids []string
		for _, n := range out {
			if n.ReferralID != "" && !slices.Contains(ids, n.ReferralID) {
				ids = append(ids, n.ReferralID)
			}
		}
		return tx.audit("notification.list", auth.KindReferral, "", fmt.Sprintf("count=%d referrals=%s", len(out), strings.Join(ids, ",")))
	})
	return out, total, unread, err
}

// notificationScope is the actor's notifications: to them, or to their
// organisation as a whole. A notification to an organisation about a
// referral reaches only those of its members whose role may see that
// referral (a community worker or a commissioner in an organisation that
// also refers reads nothing about the people it referred). The system has
// none.
func (tx *Tx) notificationScope() where {
	var w where
	if tx.actor.System || tx.actor.UserID == "" {
		w.add("1=0")
		return w
	}
	var ref where
	ref.add("sr.id = n.referral_id")
	ref.scope(tx.actor, auth.KindReferral, "sr")
	w.add("(n.user_id = ? OR (n.user_id IS NULL AND n.org_id = ? AND (n.referral_id IS NULL OR EXISTS (SELECT 1 FROM referrals sr WHERE "+ref.sql()+"))))",
		append([]any{tx.actor.UserID, tx.actor.OrgID}, ref.args...)...)
	return w
}

// MarkNotificationRead marks one of the actor's notifications read. A
// notification to an organisation is read for all of it.
func (s *NotificationService) MarkNotificationRead(ctx context.Context, id string) error {
	return s.db.update(ctx, func(tx *Tx) error {
		w := tx.notificationScope()
		w.add("n.id = ?", id)
		var readAt time.Time
		err := tx.queryRow("SELECT n.read_at FROM notifications n WHERE "+w.sql(), w.args...).Scan(timeDest{&readAt})
		if errors.Is(err, sql.ErrNoRows) {
			return linkwork.Errorf(linkwork.ENOTFOUND, "Notification not found")
		}
		if err != nil || !readAt.IsZero() {
			return err
		}
		_, err = tx.exec("UPDATE notifications SET read_at = ? WHERE id = ? AND read_at IS NULL", tx.now, id)
		return err
	})
}

// PendingEmails returns notifications still to be emailed, oldest first.
// System only.
func (s *NotificationService) PendingEmails(ctx context.Context, limit int) ([]*linkwork.Notification, error) {
	var out []*linkwork.Notification
	err := s.db.view(ctx, func(tx *Tx) error {
		if !tx.actor.System {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only the service itself sends email")
		}
		_, lim := page(0, limit)
		rows, err := tx.query("SELECT "+notificationColumns+" FROM notifications n WHERE n.email <> '' AND n.sent_at IS NULL AND n.attempts < ? ORDER BY n.created_at, n.id LIMIT ?",
			linkwork.MaxEmailAttempts, lim)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			n, err := scanNotification(rows)
			if err != nil {
				return err
			}
			out = append(out, n)
		}
		return rows.Err()
	})
	return out, err
}

// RecordEmailAttempt records one try at emailing a notification. System
// only; ENOTFOUND for no such email; ECONFLICT when it was already sent or
// has had all its tries.
func (s *NotificationService) RecordEmailAttempt(ctx context.Context, id string, sendErr error) error {
	return s.db.update(ctx, func(tx *Tx) error {
		if !tx.actor.System {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only the service itself sends email")
		}
		var sent, lastError any
		if sendErr == nil {
			sent, lastError = tx.now, ""
		} else {
			// A mail server's answer may hold any bytes: keep text the
			// store can hold.
			msg := strings.ReplaceAll(strings.ToValidUTF8(sendErr.Error(), "?"), "\x00", "?")
			if len(msg) > maxLastError {
				msg = strings.ToValidUTF8(msg[:maxLastError], "")
			}
			sent, lastError = nil, msg
		}
		res, err := tx.exec(`UPDATE notifications SET attempts = attempts + 1, sent_at = ?, last_error = ?
			WHERE id = ? AND email <> '' AND sent_at IS NULL AND attempts < ?`, sent, lastError, id, linkwork.MaxEmailAttempts)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		exists, err := tx.count("SELECT COUNT(*) FROM notifications WHERE id = ? AND email <> ''", id)
		if err != nil {
			return err
		}
		if exists == 0 {
			return linkwork.Errorf(linkwork.ENOTFOUND, "Email not found")
		}
		return linkwork.Errorf(linkwork.ECONFLICT, "This email was already sent, or has had all %d tries", linkwork.MaxEmailAttempts)
	})
}

// outboxLockKey is the PostgreSQL advisory lock taken while emails are
// dispatched.
const outboxLockKey = 7277385

// Exclusive runs fn while this process alone dispatches email, so that
// several servers on one PostgreSQL database never send the same email
// twice: it holds a session advisory lock for the length of fn. It returns
// false without running fn when another server (or another dispatcher in
// this process) holds it.
func (s *NotificationService) Exclusive(ctx context.Context, fn func(context.Context) error) (bool, error) {
	return s.db.exclusive(ctx, outboxLockKey, fn)
}
