package sqlstore_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

// agreeToShare records, as the link worker, that the person agrees to
// their details going to the community groups they are referred to.
func (w *world) agreeToShare(t *testing.T, personID string) {
	t.Helper()
	w.answerShare(t, personID, true)
}

// answerShare records, as the link worker, the person's answer about
// sharing their details with community groups, a second after anything
// before it (the latest answer is the one that counts).
func (w *world) answerShare(t *testing.T, personID string, given bool) {
	t.Helper()
	w.clock.Advance(time.Second)
	if err := w.people.AddConsent(w.as(w.linkWorker), personID, &linkwork.Consent{Kind: linkwork.ConsentShareCommunity, Given: given, GivenBy: "self"}); err != nil {
		t.Fatalf("record the answer about sharing: %v", err)
	}
}

// answerWorld is a case of the link worker's with a referral to a group
// (Northfield Boxing Club) and the answer link service.
type answerWorld struct {
	*world
	links  *sqlstore.AnswerLinkService
	k      *linkwork.Case
	boxing *linkwork.Asset
}

func newAnswerWorld(t *testing.T, w *world, given, family string) *answerWorld {
	t.Helper()
	a := &answerWorld{world: w, links: sqlstore.NewAnswerLinkService(w.db)}
	a.links.PublicURL = "https://linkwork.millbrook.example"
	a.boxing = newAsset(w.vcs, "Youth Boxing")
	a.boxing.Email = "hello@boxing.example"
	a.boxing.Phone = "0114 496 0000"
	a.boxing.Contacts = []linkwork.AssetContact{{Name: "Coach Dee", Phone: "07700 900456"}}
	if err := w.assets.CreateAsset(w.as(w.coordinator), a.boxing); err != nil {
		t.Fatal(err)
	}
	a.k = w.accept(t, w.refer(t, given, family), w.linkWorker)
	return a
}

// connect adds a connection at the level to the case.
func (a *answerWorld) connect(t *testing.T, level linkwork.ConnectionLevel) *linkwork.Connection {
	t.Helper()
	c := &linkwork.Connection{CaseID: a.k.ID, AssetID: a.boxing.ID, Level: level, Note: "Nervous about groups"}
	if err := a.connections.CreateConnection(a.as(a.linkWorker), c); err != nil {
		t.Fatal(err)
	}
	return c
}

// send sends the group a link by email, as the link worker.
func (a *answerWorld) send(t *testing.T, c *linkwork.Connection) *linkwork.AnswerLink {
	t.Helper()
	l, err := a.links.SendAnswerLink(a.as(a.linkWorker), c.ID, &linkwork.AnswerLinkRequest{Channel: linkwork.LinkEmail, To: "coach@boxing.example"})
	if err != nil {
		t.Fatalf("send a link: %v", err)
	}
	return l
}

// message is the message waiting to carry link l, and its token (the end
// of the link in its body); fails when l is not waiting to go.
func (a *answerWorld) message(t *testing.T, l *linkwork.AnswerLink) (*linkwork.PersonMessage, string) {
	t.Helper()
	pending, err := a.links.PendingMessages(a.sys, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range pending {
		if m.ID == l.ID {
			_, token, ok := strings.Cut(m.Body, "https://linkwork.millbrook.example/answer/")
			if !ok || token == "" {
				t.Fatalf("the message holds no link: %q", m.Body)
			}
			return m, token
		}
	}
	t.Fatalf("link %s (%s) is not waiting to be sent", l.ID, l.Question)
	return nil, ""
}

// linkFor is the link asking question q on the case, newest first.
func (a *answerWorld) linkFor(t *testing.T, q linkwork.AnswerQuestion) *linkwork.AnswerLink {
	t.Helper()
	links, err := a.links.FindAnswerLinks(a.as(a.linkWorker), a.k.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(links) - 1; i >= 0; i-- {
		if links[i].Question == q {
			return links[i]
		}
	}
	t.Fatalf("no %s link on the case: %+v", q, links)
	return nil
}

func (a *answerWorld) status(t *testing.T, id string) *linkwork.Connection {
	t.Helper()
	list, _, err := a.connections.FindConnections(a.as(a.linkWorker), linkwork.ConnectionFilter{CaseID: a.k.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("connection %s not found", id)
	return nil
}

// anyone is whoever holds a link: no one signed in.
var anyone = context.Background()

func TestSendingAGroupALink(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := newAnswerWorld(t, w, "Eli", "Ward")
		c := a.connect(t, linkwork.LevelRefer)
		lw := a.as(a.linkWorker)
		email := &linkwork.AnswerLinkRequest{Channel: linkwork.LinkEmail, To: "coach@boxing.example"}

		t.Run("is refused until the person agrees to share their details, naming the consent", func(t *testing.T) {
			_, err := a.links.SendAnswerLink(lw, c.ID, email)
			wantField(t, err, "consent")
			if got := a.status(t, c.ID); got.Status != linkwork.ConnSuggested {
				t.Fatalf("the refused link moved the connection to %s", got.Status)
			}
			a.answerShare(t, a.k.PersonID, false)
			_, err = a.links.SendAnswerLink(lw, c.ID, email)
			wantField(t, err, "consent")
		})
		t.Run("names what is wrong with the request", func(t *testing.T) {
			for _, tt := range []struct {
				name  string
				r     linkwork.AnswerLinkRequest
				field string
			}{
				{"no channel", linkwork.AnswerLinkRequest{To: "coach@boxing.example"}, "channel"},
				{"an email that is not an address", linkwork.AnswerLinkRequest{Channel: linkwork.LinkEmail, To: "the coach"}, "to"},
				{"a text without a number", linkwork.AnswerLinkRequest{Channel: linkwork.LinkText}, "to"},
				{"a text to something that is not a number", linkwork.AnswerLinkRequest{Channel: linkwork.LinkText, To: "07700 9OO 123"}, "to"},
			} {
				t.Run(tt.name, func(t *testing.T) {
					_, err := a.links.SendAnswerLink(lw, c.ID, &tt.r)
					wantField(t, err, tt.field)
				})
			}
		})
		a.agreeToShare(t, a.k.PersonID)
		t.Run("is for those who work the case", func(t *testing.T) {
			_, err := a.links.SendAnswerLink(a.as(a.otherWorker), c.ID, email)
			wantCode(t, err, linkwork.ENOTFOUND)
			_, err = a.links.SendAnswerLink(a.as(a.safeguarding), c.ID, email)
			wantCode(t, err, linkwork.EFORBIDDEN)
			_, err = a.links.SendAnswerLink(a.as(a.community), c.ID, email)
			wantCode(t, err, linkwork.ENOTFOUND)
		})
		t.Run("is not for a signpost", func(t *testing.T) {
			s := a.connect(t, linkwork.LevelSignpost)
			_, err := a.links.SendAnswerLink(lw, s.ID, email)
			wantField(t, err, "connection_id")
		})
		t.Run("offers the listing's contact, a mobile for a text", func(t *testing.T) {
			got, err := a.links.FindGroupContacts(lw, a.k.ID)
			if err != nil || len(got) != 2 || got[0].ConnectionID != c.ID || got[0].Group != a.vcs.Name || got[0].Email != "hello@boxing.example" || got[0].Mobile != "07700 900456" {
				t.Fatalf("contacts %+v, %v", got, err)
			}
			if got, err := a.links.FindGroupContacts(a.as(a.otherWorker), a.k.ID); err != nil || len(got) != 0 {
				t.Fatalf("another link worker reads the contacts of connections they do not see: %+v %v", got, err)
			}
		})
		var l *linkwork.AnswerLink
		t.Run("contacts the group, and says nothing of the person in the message", func(t *testing.T) {
			l = a.send(t, c)
			if l.Question != linkwork.AskReferral || l.Group != a.vcs.Name || !l.ExpiresAt.Equal(a.clock.Now().AddDate(0, 0, linkwork.AnswerLinkDays)) {
				t.Fatalf("link %+v", l)
			}
			if got := a.status(t, c.ID); got.Status != linkwork.ConnContacted {
				t.Fatalf("the connection is %s, want contacted", got.Status)
			}
			m, _ := a.message(t, l)
			if m.To != "coach@boxing.example" || m.Channel != linkwork.MessageEmail {
				t.Fatalf("the message goes %s to %q", m.Channel, m.To)
			}
			for _, secret := range []string{"Eli", "Ward", "Nervous", "Low mood"} {
				if strings.Contains(m.Subject+m.Body, secret) {
					t.Fatalf("the message tells who the person is (%q): %s\n%s", secret, m.Subject, m.Body)
				}
			}
			if !slices.Contains(auditedActions(t, w, c.ID), "answer_link.send by "+a.linkWorker.ID) {
				t.Fatal("sending the link is not audited")
			}
		})
		t.Run("is listed on the case for those who may see it", func(t *testing.T) {
			links, err := a.links.FindAnswerLinks(lw, a.k.ID)
			if err != nil || len(links) != 1 || links[0].ID != l.ID || links[0].SentByName != a.linkWorker.Name || links[0].Activity != a.boxing.Name {
				t.Fatalf("links %+v, %v", links, err)
			}
			_, err = a.links.FindAnswerLinks(a.as(a.otherWorker), a.k.ID)
			wantCode(t, err, linkwork.ENOTFOUND)
			_, err = a.links.FindAnswerLinks(a.as(a.community), a.k.ID)
			wantCode(t, err, linkwork.ENOTFOUND)
			if !slices.Contains(auditedActions(t, w, a.k.ID), "answer_link.list by "+a.linkWorker.ID) {
				t.Fatal("reading the links is not audited")
			}
		})
		t.Run("once sent, keeps only the hash of its token", func(t *testing.T) {
			_, token := a.message(t, l)
			if err := a.links.RecordMessageAttempt(a.sys, l.ID, "notify-1", nil, 0); err != nil {
				t.Fatal(err)
			}
			if kept, err := a.db.QueryString("SELECT token FROM connection_answer_links WHERE id = ?", l.ID); err != nil || kept != "" {
				t.Fatalf("the sent link's token is still kept: %q %v", kept, err)
			}
			pending, err := a.links.PendingMessages(a.sys, 100)
			if err != nil || len(pending) != 0 {
				t.Fatalf("sent, and still pending: %v %v", pending, err)
			}
			if _, err := a.links.OpenAnswerLink(anyone, token); err != nil {
				t.Fatalf("the sent link does not open: %v", err)
			}
			_, err = a.links.PendingMessages(lw, 10)
			wantCode(t, err, linkwork.EFORBIDDEN)
		})
		t.Run("a newer link replaces it", func(t *testing.T) {
			_, old := a.message(t, a.send(t, c))
			newer := a.send(t, c)
			_, err := a.links.OpenAnswerLink(anyone, old)
			wantCode(t, err, linkwork.ECONFLICT)
			if !strings.Contains(linkwork.ErrorMessage(err), "newer link") {
				t.Fatalf("the replaced link says %q", linkwork.ErrorMessage(err))
			}
			if _, token := a.message(t, newer); token == old {
				t.Fatal("the newer link has the old token")
			}
		})
	})
}

func TestAGroupAnswersThroughItsLink(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := newAnswerWorld(t, w, "Eli", "Ward")
		p, err := a.people.FindPersonByID(a.as(a.linkWorker), a.k.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		p.AccessibilityNeeds, p.PreferredName = "Uses a wheelchair", "Ellie"
		if err := a.people.UpdatePerson(a.as(a.linkWorker), p); err != nil {
			t.Fatal(err)
		}
		a.agreeToShare(t, a.k.PersonID)

		t.Run("a token we never sent is not found", func(t *testing.T) {
			_, err := a.links.OpenAnswerLink(anyone, "not-a-token")
			wantCode(t, err, linkwork.ENOTFOUND)
			_, err = a.links.AnswerThroughLink(anyone, "not-a-token", &linkwork.GroupReply{Answer: linkwork.AnswerAccept})
			wantCode(t, err, linkwork.ENOTFOUND)
		})

		declined := a.connect(t, linkwork.LevelRefer)
		l := a.send(t, declined)
		_, token := a.message(t, l)
		t.Run("the group sees what it needs to welcome them, and no more", func(t *testing.T) {
			wel, err := a.links.OpenAnswerLink(anyone, token)
			if err != nil {
				t.Fatal(err)
			}
			if wel.FirstName != "Ellie" || wel.LastName != "Ward" || wel.AccessNeeds != "Uses a wheelchair" || wel.Activity != a.boxing.Name ||
				wel.LinkWorker != a.linkWorker.Name || wel.Service != a.service.Name || wel.Question != linkwork.AskReferral {
				t.Fatalf("welcome %+v", wel)
			}
			if len(wel.Contact) != 1 || wel.Contact[0].Channel != linkwork.ChannelText || wel.Contact[0].Detail != p.Phone {
				t.Fatalf("how to contact them: %+v", wel.Contact)
			}
			if !slices.Contains(auditedActions(t, w, a.k.PersonID), "answer_link.view by "+linkwork.AnswerActorPrefix+l.ID) {
				t.Fatal("what the group read through its link is not audited as read by the link")
			}
		})
		t.Run("a reply the question does not take is named, and the link stays open", func(t *testing.T) {
			for _, tt := range []struct {
				name  string
				r     linkwork.GroupReply
				field string
			}{
				{"no answer", linkwork.GroupReply{}, "answer"},
				{"an answer to another question", linkwork.GroupReply{Answer: linkwork.AnswerCame}, "answer"},
				{"a decline without a reason", linkwork.GroupReply{Answer: linkwork.AnswerDecline}, "reason"},
				{"a decline with an unknown reason", linkwork.GroupReply{Answer: linkwork.AnswerDecline, Reason: "busy"}, "reason"},
				{"an acceptance with a reason", linkwork.GroupReply{Answer: linkwork.AnswerAccept, Reason: linkwork.DeclineFull}, "reason"},
			} {
				t.Run(tt.name, func(t *testing.T) {
					_, err := a.links.AnswerThroughLink(anyone, token, &tt.r)
					wantField(t, err, tt.field)
				})
			}
			if _, err := a.links.OpenAnswerLink(anyone, token); err != nil {
				t.Fatalf("the link closed: %v", err)
			}
		})
		t.Run("a decline moves the connection, tells the link worker and uses the link", func(t *testing.T) {
			got, err := a.links.AnswerThroughLink(anyone, token, &linkwork.GroupReply{Answer: linkwork.AnswerDecline, Reason: linkwork.DeclineFull, Note: "Full until September"})
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != linkwork.ConnDeclined || got.Next != "" {
				t.Fatalf("answered %+v", got)
			}
			c := a.status(t, declined.ID)
			if c.Status != linkwork.ConnDeclined || c.Note != "Nervous about groups\n\n"+a.vcs.Name+" (through its link): Full until September" {
				t.Fatalf("the connection is %s, note %q", c.Status, c.Note)
			}
			moves, err := a.connections.FindConnectionMoves(a.as(a.linkWorker), a.k.ID)
			if err != nil {
				t.Fatal(err)
			}
			var last *linkwork.ConnectionMove
			for _, m := range moves {
				if m.ConnectionID == declined.ID && m.To == linkwork.ConnDeclined {
					last = m
				}
			}
			if last == nil || last.Reason != "full" || last.ByLinkID != l.ID || last.ByName != a.vcs.Name {
				t.Fatalf("the move is not recorded as the group's, through its link: %+v", last)
			}
			notes, _, _, err := sqlstore.NewNotificationService(a.db).FindNotifications(a.as(a.linkWorker), false, 0, 50)
			if err != nil {
				t.Fatal(err)
			}
			told := false
			for _, n := range notes {
				told = told || n.Kind == linkwork.NoteConnectionDeclined && n.Link == "/cases/"+a.k.ID+"?suggest=1#suggestions" && n.Email == ""
			}
			if !told {
				t.Fatal("the link worker is not told of the decline, with the way to other activities")
			}
			acts := auditedActions(t, w, declined.ID)
			for _, want := range []string{"connection.move by " + linkwork.AnswerActorPrefix + l.ID, "answer_link.answer by " + linkwork.AnswerActorPrefix + l.ID} {
				if !slices.Contains(acts, want) {
					t.Fatalf("%q not in the audit trail %v", want, acts)
				}
			}
		})
		t.Run("a used link works no more, and shows the person no more", func(t *testing.T) {
			_, err := a.links.AnswerThroughLink(anyone, token, &linkwork.GroupReply{Answer: linkwork.AnswerAccept})
			wantCode(t, err, linkwork.ECONFLICT)
			wel, err := a.links.OpenAnswerLink(anyone, token)
			wantCode(t, err, linkwork.ECONFLICT)
			if wel != nil || !strings.Contains(linkwork.ErrorMessage(err), "already been used") || !strings.Contains(linkwork.ErrorMessage(err), a.linkWorker.Name) {
				t.Fatalf("the used link shows %+v and says %q", wel, linkwork.ErrorMessage(err))
			}
		})

		taken := a.connect(t, linkwork.LevelBuddy)
		_, token = a.message(t, a.send(t, taken))
		t.Run("an acceptance sends at once a link to say whether they came", func(t *testing.T) {
			got, err := a.links.AnswerThroughLink(anyone, token, &linkwork.GroupReply{Answer: linkwork.AnswerAccept})
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != linkwork.ConnAccepted || got.Next != linkwork.AskAttendance || !got.NextAfter.Equal(a.clock.Now()) {
				t.Fatalf("answered %+v", got)
			}
			next := a.linkFor(t, linkwork.AskAttendance)
			m, _ := a.message(t, next)
			if m.To != "coach@boxing.example" || !strings.Contains(m.Body, "Once they have been") || next.SentByID != "" {
				t.Fatalf("the attendance link goes to %q by %q: %s", m.To, next.SentByID, m.Body)
			}
		})
		t.Run("'came' moves the connection on, and asks weeks later whether they are still coming", func(t *testing.T) {
			_, attendance := a.message(t, a.linkFor(t, linkwork.AskAttendance))
			got, err := a.links.AnswerThroughLink(anyone, attendance, &linkwork.GroupReply{Answer: linkwork.AnswerCame})
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != linkwork.ConnAttended || got.Next != linkwork.AskStillComing || !got.NextAfter.Equal(a.clock.Now().AddDate(0, 0, linkwork.StillComingDays)) {
				t.Fatalf("answered %+v", got)
			}
			later := a.linkFor(t, linkwork.AskStillComing)
			if pending, _ := a.links.PendingMessages(a.sys, 100); len(pending) != 0 {
				t.Fatalf("the 'still coming?' link goes at once: %+v", pending)
			}
			a.clock.Advance(linkwork.StillComingDays * 24 * time.Hour)
			_, still := a.message(t, later)
			if _, err := a.links.AnswerThroughLink(anyone, still, &linkwork.GroupReply{Answer: linkwork.AnswerStillComing}); err != nil {
				t.Fatal(err)
			}
			if c := a.status(t, taken.ID); c.Status != linkwork.ConnContinuing {
				t.Fatalf("the connection is %s, want continuing", c.Status)
			}
		})
	})
}

func TestALinkShowsThePersonOnlyWhileItIsOpen(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := newAnswerWorld(t, w, "Ada", "Moss")
		a.agreeToShare(t, a.k.PersonID)
		lw := a.as(a.linkWorker)
		for _, tt := range []struct {
			name, says string
			close      func(t *testing.T, c *linkwork.Connection)
		}{
			{"it expires", "expired", func(t *testing.T, c *linkwork.Connection) {
				a.clock.Advance(linkwork.AnswerLinkDays * 24 * time.Hour)
			}},
			{"the connection is no longer live", "nothing to answer", func(t *testing.T, c *linkwork.Connection) {
				if _, err := a.connections.MoveConnection(lw, c.ID, linkwork.ConnectionMove{To: linkwork.ConnDropped, Reason: "Moved away", Version: a.status(t, c.ID).Version}); err != nil {
					t.Fatal(err)
				}
			}},
			{"the group answered in linkwork meanwhile", "nothing to answer", func(t *testing.T, c *linkwork.Connection) {
				if _, err := a.connections.MoveConnection(a.as(a.community), c.ID, linkwork.ConnectionMove{To: linkwork.ConnAccepted, Version: a.status(t, c.ID).Version}); err != nil {
					t.Fatal(err)
				}
			}},
			{"the person no longer agrees to share their details", "withdrawn", func(t *testing.T, c *linkwork.Connection) {
				a.answerShare(t, a.k.PersonID, false)
				t.Cleanup(func() { a.agreeToShare(t, a.k.PersonID) })
			}},
		} {
			t.Run("when "+tt.name, func(t *testing.T) {
				c := a.connect(t, linkwork.LevelRefer)
				_, token := a.message(t, a.send(t, c))
				tt.close(t, c)
				wel, err := a.links.OpenAnswerLink(anyone, token)
				wantCode(t, err, linkwork.ECONFLICT)
				if wel != nil || !strings.Contains(linkwork.ErrorMessage(err), tt.says) || !strings.Contains(linkwork.ErrorMessage(err), a.linkWorker.Name) {
					t.Fatalf("the closed link shows %+v and says %q", wel, linkwork.ErrorMessage(err))
				}
				_, err = a.links.AnswerThroughLink(anyone, token, &linkwork.GroupReply{Answer: linkwork.AnswerAccept})
				wantCode(t, err, linkwork.ECONFLICT)
			})
		}
	})
}

// TestAGroupLearnsWhoThePersonIsOnlyWithTheirConsent: moving a hand-over
// connection to a live status in linkwork (a group with an account then
// sees the person) needs the person's consent too; a signpost does not.
func TestAGroupLearnsWhoThePersonIsOnlyWithTheirConsent(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := newAnswerWorld(t, w, "Cal", "Frost")
		lw := a.as(a.linkWorker)
		for _, tt := range []struct {
			level linkwork.ConnectionLevel
			to    linkwork.ConnectionStatus
			field string
		}{
			{linkwork.LevelRefer, linkwork.ConnContacted, "consent"},
			{linkwork.LevelBuddy, linkwork.ConnAccepted, "consent"},
			{linkwork.LevelPhased, linkwork.ConnAttended, "consent"},
			{linkwork.LevelSignpost, linkwork.ConnAttended, ""},
		} {
			t.Run(string(tt.level)+" to "+string(tt.to), func(t *testing.T) {
				c := a.connect(t, tt.level)
				_, err := a.connections.MoveConnection(lw, c.ID, linkwork.ConnectionMove{To: tt.to, Version: c.Version})
				if tt.field == "" {
					if err != nil {
						t.Fatal(err)
					}
					return
				}
				wantField(t, err, tt.field)
			})
		}
	})
}
