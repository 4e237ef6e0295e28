package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/notify/notifytest"
	"github.com/linkwork/linkwork/notify/smtptest"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

func TestAFailingJobNeverStopsTheOthers(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var good, failing, panicking atomic.Int32
	var actors sync.Map
	// Each job that keeps running says so on its third round: the others
	// did not stop it.
	third := make(chan string, 3)
	round := func(n *atomic.Int32, name string) int {
		r := n.Add(1)
		if r == 3 {
			third <- name
		}
		return int(r)
	}
	jobs := []job{
		{name: "good", run: func(ctx context.Context) (int, error) {
			a, _ := linkwork.ActorFrom(ctx)
			actors.Store(a.ID(), true)
			return round(&good, "good"), nil
		}},
		{name: "failing", run: func(context.Context) (int, error) {
			round(&failing, "failing")
			return 0, errors.New("mail server down")
		}},
		{name: "panicking", run: func(context.Context) (int, error) { round(&panicking, "panicking"); panic("boom") }},
		{name: "hanging", run: func(ctx context.Context) (int, error) { <-ctx.Done(); return 0, ctx.Err() }},
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { runJobs(ctx, log, 10*time.Millisecond, jobs); close(done) }()
	timeout := time.After(10 * time.Second)
	for range 3 {
		select {
		case <-third:
		case <-timeout:
			t.Fatalf("runs: good %d, failing %d, panicking %d", good.Load(), failing.Load(), panicking.Load())
		}
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("runJobs did not return after the context ended")
	}
	if _, ok := actors.Load("system"); !ok {
		t.Error("jobs do not run as the system")
	}
	out := logs.String()
	for _, want := range []string{
		`level=DEBUG msg="job done" job=good done=1`,
		`level=ERROR msg="job failed" job=failing done=0`, `err="mail server down"`,
		`level=ERROR msg="job failed" job=panicking`, `err="panic: boom"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the log does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "job=hanging") {
		t.Errorf("a job stopped by shutdown was logged as failing:\n%s", out)
	}
}

func TestServerJobs(t *testing.T) {
	db := sqltest.Open(t, "sqlite", sqlstore.Options{})
	names := func(jobs []job) []string {
		var out []string
		for _, j := range jobs {
			out = append(out, j.name)
		}
		return out
	}
	t.Run("without a mail server, the log says email is off", func(t *testing.T) {
		var logs bytes.Buffer
		jobs, err := serverJobs(db, serveOptions{}, slog.New(slog.NewTextHandler(&logs, nil)))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(names(jobs), []string{"purge sessions", "return due deferrals", "forget idempotency keys", "send messages to people", "send links to groups", "send measure links to people", "harvest feeds"}) {
			t.Errorf("jobs %v", names(jobs))
		}
		if strings.Count(logs.String(), "email is off: notifications are shown in the app only") != 1 {
			t.Errorf("log:\n%s", logs.String())
		}
		if n, err := jobs[0].run(linkwork.NewContext(context.Background(), linkwork.SystemActor("test"))); err != nil || n != 0 {
			t.Errorf("purge sessions: %d, %v", n, err)
		}
	})
	t.Run("with one, email is a job", func(t *testing.T) {
		var logs bytes.Buffer
		o := serveOptions{}
		o.smtp.Addr, o.smtp.From = "127.0.0.1:2525", "linkwork@example.org"
		jobs, err := serverJobs(db, o, slog.New(slog.NewTextHandler(&logs, nil)))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(names(jobs), []string{"purge sessions", "return due deferrals", "forget idempotency keys", "send messages to people", "send links to groups", "send measure links to people", "harvest feeds", "send verification links", "email"}) || !strings.Contains(logs.String(), "email is on") {
			t.Errorf("jobs %v, log:\n%s", names(jobs), logs.String())
		}
	})
}

func TestAnExclusiveJobSkipsTheRoundAnotherServerIsRunning(t *testing.T) {
	db := sqltest.Open(t, "sqlite", sqlstore.Options{})
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var runs atomic.Int32
	j := exclusive(db, job{name: "return due deferrals", run: func(context.Context) (int, error) { return int(runs.Add(1)), nil }})
	ctx := linkwork.NewContext(context.Background(), linkwork.SystemActor("test"))
	// Another round of the job is running (here, in this process; across
	// servers, the PostgreSQL lock: sqlstore's tests show both).
	held, err := db.RunExclusive(ctx, "return due deferrals", func(ctx context.Context) error {
		if n, err := j.run(ctx); n != 0 || !errors.Is(err, errSkipped) {
			t.Errorf("a round while another ran: %d, %v; want it skipped", n, err)
		}
		runJob(ctx, log, j)
		return nil
	})
	if err != nil || !held {
		t.Fatalf("held %v, %v", held, err)
	}
	if runs.Load() != 0 {
		t.Fatalf("the job ran %d times while another round was running", runs.Load())
	}
	if want := `level=DEBUG msg="job skipped" job="return due deferrals" why="another server is running it"`; !strings.Contains(logs.String(), want) {
		t.Errorf("the log does not say %s:\n%s", want, logs.String())
	}
	if strings.Contains(logs.String(), "job failed") {
		t.Errorf("a skipped round was logged as failing:\n%s", logs.String())
	}
	if n, err := j.run(ctx); n != 1 || err != nil {
		t.Fatalf("once the other round ended: %d, %v", n, err)
	}
}

func TestEmailSettingsNameTheFlag(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "lw.db")
	addr := []string{"serve", "--db", db, "--smtp-addr", "smtp.example.org:587"}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		says string
	}{
		{"no password flag", nil, append(addr, "--smtp-password", "x"), "there is no flag --smtp-password"},
		{"an address without a port", nil, []string{"serve", "--db", db, "--smtp-addr", "smtp.example.org"}, "--smtp-addr: SMTP address \"smtp.example.org\" is not host:port"},
		{"no sender", nil, addr, "--smtp-from: SMTP sender is required"},
		{"a sender that is not an address", nil, append(addr, "--smtp-from", "linkwork"), "--smtp-from: SMTP sender \"linkwork\" is not an email address"},
		{"a username without a password", nil, append(addr, "--smtp-from", "a@example.org", "--smtp-username", "lw"), "LINKWORK_SMTP_PASSWORD: an SMTP username is set without a password"},
		{"a password without a username", map[string]string{"LINKWORK_SMTP_PASSWORD": "x"}, append(addr, "--smtp-from", "a@example.org"), "--smtp-username: an SMTP password is set without a username"},
		{"settings without a server", map[string]string{"LINKWORK_SMTP_FROM": "a@example.org"}, []string{"serve", "--db", db}, "without --smtp-addr"},
		{"a bad STARTTLS setting", map[string]string{"LINKWORK_SMTP_STARTTLS": "perhaps"}, []string{"serve", "--db", db}, "LINKWORK_SMTP_STARTTLS must be true or false"},
		{"a public address that is not a web address", nil, []string{"demo", "--public-url", "linkwork.example.org"}, "--public-url \"linkwork.example.org\" is not a web address"},
		{"jobs too often", nil, []string{"serve", "--db", db, "--jobs-interval", "10ms"}, "--jobs-interval must be at least a second"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCLI(t, tt.env, tt.args...)
			if code != 2 || !strings.Contains(errs, tt.says) {
				t.Errorf("status %d, stderr %q; want 2 and %q", code, errs, tt.says)
			}
		})
	}
	t.Run("the help tells how to set the password", func(t *testing.T) {
		for _, cmd := range []string{"serve", "demo"} {
			_, out, _ := runCLI(t, nil, cmd, "--help")
			for _, s := range []string{"--smtp-addr", "--smtp-from", "--smtp-username", "--smtp-starttls", "--jobs-interval", "LINKWORK_SMTP_PASSWORD"} {
				if !strings.Contains(out, strings.TrimPrefix(s, "-")) {
					t.Errorf("%s --help does not mention %s", cmd, s)
				}
			}
		}
	})
}

// closedCase makes a small service in the database, where a GP's
// referral was accepted and the support has now ended: that tells the GP,
// in the app and by email. It returns the referral.
func closedCase(t *testing.T, dsn string) (*linkwork.Referral, *linkwork.User, *linkwork.Person) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	sys := linkwork.NewContext(ctx, linkwork.SystemActor("test"))
	orgs, users := sqlstore.NewOrganisationService(db), sqlstore.NewUserService(db)
	service := &linkwork.Organisation{Name: "Millbrook Social Prescribing", Kind: linkwork.OrgSPService, Postcode: "S1 2HH"}
	practice := &linkwork.Organisation{Name: "Riverside Surgery", Kind: linkwork.OrgGPPractice, Postcode: "S1 2HH"}
	for _, o := range []*linkwork.Organisation{service, practice} {
		if err := orgs.CreateOrganisation(sys, o); err != nil {
			t.Fatal(err)
		}
	}
	gp := &linkwork.User{Name: "Dr Ada Green", Email: "ada.green@riverside.example", Role: linkwork.RoleReferrer, OrgID: practice.ID}
	worker := &linkwork.User{Name: "Sam Link", Email: "sam@millbrook.example", Role: linkwork.RoleLinkWorker, OrgID: service.ID}
	for _, u := range []*linkwork.User{gp, worker} {
		if err := users.CreateUser(sys, u, "a long enough password"); err != nil {
			t.Fatal(err)
		}
	}
	as := func(u *linkwork.User) context.Context { return linkwork.NewContext(ctx, u.Actor()) }
	p := &linkwork.Person{GivenName: "Rosalind", FamilyName: "Fairweather", DateOfBirth: linkwork.Date{Year: 2009, Month: 7, Day: 21}}
	r := &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: service.ID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral, Reasons: "Bereavement and isolation",
		PersonAware: new(true), ConsentReferral: true, ConsentSharing: true}
	referrals, cases := sqlstore.NewReferralService(db), sqlstore.NewCaseService(db)
	if err := referrals.CreateReferral(as(gp), r, p); err != nil {
		t.Fatal(err)
	}
	r, err = referrals.DecideReferral(as(worker), r.ID, r.Version, linkwork.ReferralDecision{To: linkwork.ReferralAccepted, LinkWorkerID: worker.ID})
	if err != nil {
		t.Fatal(err)
	}
	c, err := cases.FindCaseByID(as(worker), r.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cases.CloseCase(as(worker), c.ID, c.Version, linkwork.CaseClosure{Reason: linkwork.ClosedGoalsMet, OutcomeSummary: "Back at football"}); err != nil {
		t.Fatal(err)
	}
	return r, gp, p
}

// TestServeEmailsNotifications runs the server with a mail server and
// checks that the referrer's email arrives once, without the person's
// name, and is recorded as sent.
func TestServeEmailsNotifications(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes; skipped with -short")
	}
	for _, dialect := range sqltest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			dsn := sqltest.DSN(t, dialect)
			r, gp, p := closedCase(t, dsn)
			smtp := smtptest.NewServer(t)
			s := startServeWith(t, []string{"LINKWORK_SMTP_FROM=Millbrook Social Prescribing <linkwork@millbrook.example>", "LINKWORK_SMTP_STARTTLS=false"},
				"--db", dsn, "--smtp-addr", smtp.Addr, "--jobs-interval", "1s", "--public-url", "https://linkwork.millbrook.example")
			// The referral was received, accepted and its case closed: the
			// referrer hears of each, in order, by email.
			msgs := smtp.Wait(3, 30*time.Second)
			if len(msgs) != 3 {
				t.Fatalf("%d emails arrived, want 3\n%s", len(msgs), s.stderr)
			}
			var subjects []string
			for i, m := range msgs {
				if len(m.To) != 1 || m.To[0] != gp.Email || m.From != "linkwork@millbrook.example" {
					t.Fatalf("from %s to %v", m.From, m.To)
				}
				msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
				if err != nil {
					t.Fatal(err)
				}
				body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
				if err != nil {
					t.Fatal(err)
				}
				subjects = append(subjects, msg.Header.Get("Subject"))
				text := "Subject: " + msg.Header.Get("Subject") + "\n" + string(body)
				for _, want := range []string{"(" + r.Reference() + ")", "https://linkwork.millbrook.example/referrals/" + r.ID} {
					if !strings.Contains(text, want) {
						t.Errorf("email %d does not say %q:\n%s", i+1, want, text)
					}
				}
				for _, secret := range []string{p.GivenName, p.FamilyName, "2009", "Bereavement", "football"} {
					if strings.Contains(text, secret) {
						t.Errorf("email %d gives away %q:\n%s", i+1, secret, text)
					}
				}
			}
			if !strings.HasPrefix(subjects[0], "Referral received") || !strings.HasPrefix(subjects[2], "Support ended") {
				t.Errorf("subjects %q: want received first and support ended last", subjects)
			}
			// The server records each email as sent once the mail server
			// took it: wait for the outbox to say so before stopping it.
			db, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			sys := linkwork.NewContext(context.Background(), linkwork.SystemActor("test"))
			outbox := sqlstore.NewNotificationService(db)
			waitFor(t, 30*time.Second, "recorded as sent", func() (bool, string) {
				pending, err := outbox.PendingEmails(sys, 10)
				return err == nil && len(pending) == 0, fmt.Sprintf("%d pending, %v", len(pending), err)
			})
			if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-s.done:
				if err != nil {
					t.Fatalf("exit: %v\n%s", err, s.stderr)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("the server did not stop")
			}
			if n := len(smtp.Messages()); n != 3 {
				t.Fatalf("%d emails in all, want 3", n)
			}
			if !strings.Contains(s.stderr.String(), "email is on") {
				t.Errorf("the log does not say email is on:\n%s", s.stderr)
			}
			// Another round, run here and now on the same database and
			// mail server, sends none of them again.
			o := serveOptions{publicURL: "https://linkwork.millbrook.example"}
			o.smtp.Addr, o.smtp.From = smtp.Addr, "linkwork@millbrook.example"
			email, err := emailJob(db, o, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				t.Fatal(err)
			}
			if n, err := email.run(sys); n != 0 || err != nil {
				t.Errorf("a round after all was sent sent %d: %v", n, err)
			}
			if n := len(smtp.Messages()); n != 3 {
				t.Fatalf("after another round, %d emails in all, want 3", n)
			}
		})
	}
}

func TestNotifySettingsNameTheFlag(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "lw.db")
	keyFile := filepath.Join(t.TempDir(), "notify.key")
	if err := os.WriteFile(keyFile, []byte(notifytest.APIKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	key := map[string]string{"LINKWORK_NOTIFY_API_KEY": notifytest.APIKey}
	for _, tt := range []struct {
		name string
		env  map[string]string
		args []string
		says string
	}{
		{"templates without a key", nil, []string{"serve", "--db", db, "--notify-sms-template", notifytest.SMSTemplate}, "without its API key"},
		{"a key twice", key, []string{"serve", "--db", db, "--notify-api-key-file", keyFile}, "given twice"},
		{"a key that is not one", map[string]string{"LINKWORK_NOTIFY_API_KEY": "secret"}, []string{"serve", "--db", db}, "the GOV.UK Notify API key:"},
		{"a key without a text template", key, []string{"serve", "--db", db}, "--notify-sms-template"},
		{"a missing key file", nil, []string{"serve", "--db", db, "--notify-api-key-file", keyFile + ".gone"}, "--notify-api-key-file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCLI(t, tt.env, tt.args...)
			if code != 2 || !strings.Contains(errs, tt.says) {
				t.Errorf("status %d, stderr %q; want 2 and %q", code, errs, tt.says)
			}
		})
	}
	t.Run("the help tells how to give the key", func(t *testing.T) {
		_, out, _ := runCLI(t, nil, "serve", "--help")
		for _, s := range []string{"notify-api-key-file", "LINKWORK_NOTIFY_API_KEY", "notify-url", "notify-sms-template", "notify-email-template"} {
			if !strings.Contains(out, s) {
				t.Errorf("serve --help does not mention %s", s)
			}
		}
	})
}

// TestALinkToAGroupGoesByText: a link a link worker sends a group by text
// goes through GOV.UK Notify with the whole address to open, once.
func TestALinkToAGroupGoesByText(t *testing.T) {
	db := sqltest.Open(t, "sqlite", sqlstore.Options{})
	sys := linkwork.NewContext(context.Background(), linkwork.SystemActor("test"))
	orgs, users := sqlstore.NewOrganisationService(db), sqlstore.NewUserService(db)
	service := &linkwork.Organisation{Name: "Millbrook Social Prescribing", Kind: linkwork.OrgSPService, Postcode: "S1 2HH"}
	group := &linkwork.Organisation{Name: "Northfield Boxing Club", Kind: linkwork.OrgVCS, Postcode: "S1 2HH"}
	for _, o := range []*linkwork.Organisation{service, group} {
		if err := orgs.CreateOrganisation(sys, o); err != nil {
			t.Fatal(err)
		}
	}
	worker := &linkwork.User{Name: "Sam Patel", Email: "sam@millbrook.example", Role: linkwork.RoleLinkWorker, OrgID: service.ID}
	if err := users.CreateUser(sys, worker, "a long enough password"); err != nil {
		t.Fatal(err)
	}
	lw := linkwork.NewContext(context.Background(), worker.Actor())
	boxing := &linkwork.Asset{OrgID: group.ID, Name: "Youth Boxing", Description: "Weekly session", Categories: []linkwork.Category{linkwork.CategorySports},
		Status: linkwork.AssetActive, HowToJoin: linkwork.JoinReferral, Capacity: linkwork.Capacity{Status: linkwork.CapacityAccepting}, CostOptions: linkwork.FreeOfCharge(),
		Locations: []linkwork.Location{{Type: linkwork.LocationVirtual, Name: "Online"}}}
	if err := sqlstore.NewAssetService(db).CreateAsset(sys, boxing); err != nil {
		t.Fatal(err)
	}
	r := &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: service.ID, Pathway: linkwork.PathwaySelf, Mode: linkwork.ModeSelfReferral,
		Reasons: "Lonely", ConsentReferral: true}
	if err := sqlstore.NewReferralService(db).CreateReferral(sys, r, &linkwork.Person{GivenName: "Eli", FamilyName: "Ward", Phone: "07700 900111"}); err != nil {
		t.Fatal(err)
	}
	r, err := sqlstore.NewReferralService(db).DecideReferral(sys, r.ID, r.Version, linkwork.ReferralDecision{To: linkwork.ReferralAccepted, Streetlight: linkwork.StreetlightGreen, LinkWorkerID: worker.ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlstore.NewPersonService(db).AddConsent(lw, r.PersonID, &linkwork.Consent{Kind: linkwork.ConsentShareCommunity, Given: true, GivenBy: "self"}); err != nil {
		t.Fatal(err)
	}
	c := &linkwork.Connection{CaseID: r.CaseID, AssetID: boxing.ID, Level: linkwork.LevelRefer}
	if err := sqlstore.NewConnectionService(db).CreateConnection(lw, c); err != nil {
		t.Fatal(err)
	}
	if _, err := sqlstore.NewAnswerLinkService(db).SendAnswerLink(lw, c.ID, &linkwork.AnswerLinkRequest{Channel: linkwork.LinkText, To: "07700 900123"}); err != nil {
		t.Fatal(err)
	}

	fake := notifytest.New(t)
	o := serveOptions{publicURL: "https://linkwork.millbrook.example/"}
	o.notify.APIKey, o.notify.BaseURL, o.notify.SMSTemplate = notifytest.APIKey, fake.URL, notifytest.SMSTemplate
	_, links, _, err := peopleMessagesJobs(db, o, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	for round, want := range []int{1, 0} {
		if n, err := links.run(sys); n != want || err != nil {
			t.Fatalf("round %d sent %d (%v), want %d", round+1, n, err, want)
		}
	}
	msgs := fake.Messages()
	if len(msgs) != 1 || msgs[0].Type != "sms" || msgs[0].To != "07700 900123" || !strings.Contains(msgs[0].Personalisation["body"], "\n\nhttps://linkwork.millbrook.example/answer/") {
		t.Fatalf("sent %+v", msgs)
	}
	if strings.Contains(msgs[0].Personalisation["body"], "Eli") {
		t.Fatalf("the text names the person: %q", msgs[0].Personalisation["body"])
	}
}

// TestALinkToAnswerAMeasureGoesByText: a link a link worker sends a
// person to answer a measure goes by text through GOV.UK Notify, with the
// whole address to open, once, greeting them by their first name and
// naming neither the measure nor their family name.
func TestALinkToAnswerAMeasureGoesByText(t *testing.T) {
	db := sqltest.Open(t, "sqlite", sqlstore.Options{})
	sys := linkwork.NewContext(context.Background(), linkwork.SystemActor("test"))
	service := &linkwork.Organisation{Name: "Millbrook Social Prescribing", Kind: linkwork.OrgSPService, Postcode: "S1 2HH"}
	if err := sqlstore.NewOrganisationService(db).CreateOrganisation(sys, service); err != nil {
		t.Fatal(err)
	}
	worker := &linkwork.User{Name: "Sam Patel", Email: "sam@millbrook.example", Role: linkwork.RoleLinkWorker, OrgID: service.ID}
	if err := sqlstore.NewUserService(db).CreateUser(sys, worker, "a long enough password"); err != nil {
		t.Fatal(err)
	}
	r := &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: service.ID, Pathway: linkwork.PathwaySelf, Mode: linkwork.ModeSelfReferral,
		Reasons: "Lonely", ConsentReferral: true}
	person := &linkwork.Person{GivenName: "Ava", FamilyName: "Moss", Phone: "07700 900112", Contact: linkwork.ContactPreferences{Channels: []linkwork.Channel{linkwork.ChannelText}}}
	if err := sqlstore.NewReferralService(db).CreateReferral(sys, r, person); err != nil {
		t.Fatal(err)
	}
	r, err := sqlstore.NewReferralService(db).DecideReferral(sys, r.ID, r.Version, linkwork.ReferralDecision{To: linkwork.ReferralAccepted, Streetlight: linkwork.StreetlightGreen, LinkWorkerID: worker.ID})
	if err != nil {
		t.Fatal(err)
	}
	lw := linkwork.NewContext(context.Background(), worker.Actor())
	if _, err := sqlstore.NewMeasureLinkService(db).SendMeasureLink(lw, r.CaseID, &linkwork.MeasureLinkRequest{Instrument: linkwork.InstrumentUCLA3, Timepoint: linkwork.TimepointBaseline}); err != nil {
		t.Fatal(err)
	}
	fake := notifytest.New(t)
	o := serveOptions{publicURL: "https://linkwork.millbrook.example/"}
	o.notify.APIKey, o.notify.BaseURL, o.notify.SMSTemplate = notifytest.APIKey, fake.URL, notifytest.SMSTemplate
	_, _, measures, err := peopleMessagesJobs(db, o, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	for round, want := range []int{1, 0} {
		if n, err := measures.run(sys); n != want || err != nil {
			t.Fatalf("round %d sent %d (%v), want %d", round+1, n, err, want)
		}
	}
	msgs := fake.Messages()
	if len(msgs) != 1 || msgs[0].Type != "sms" || msgs[0].To != "07700 900112" || !strings.Contains(msgs[0].Personalisation["body"], "\n\nhttps://linkwork.millbrook.example/measure/") {
		t.Fatalf("sent %+v", msgs)
	}
	if body := msgs[0].Personalisation["body"]; !strings.Contains(body, "Hi Ava") || strings.Contains(body, "Moss") || strings.Contains(body, "Loneliness") {
		t.Fatalf("the text: %q", body)
	}
}
