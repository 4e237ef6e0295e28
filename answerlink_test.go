package linkwork_test

import (
	"reflect"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

func TestEachAnswerMovesTheConnectionOn(t *testing.T) {
	for _, tt := range []struct {
		answer linkwork.GroupAnswer
		to     linkwork.ConnectionStatus
		reason string
		next   linkwork.AnswerQuestion
	}{
		{linkwork.AnswerAccept, linkwork.ConnAccepted, "", linkwork.AskAttendance},
		{linkwork.AnswerDecline, linkwork.ConnDeclined, "full", ""},
		{linkwork.AnswerCame, linkwork.ConnAttended, "", linkwork.AskStillComing},
		{linkwork.AnswerDidNotCome, linkwork.ConnDropped, linkwork.ReasonDidNotCome, ""},
		{linkwork.AnswerStillComing, linkwork.ConnContinuing, "", ""},
		{linkwork.AnswerStopped, linkwork.ConnDropped, linkwork.ReasonStopped, ""},
	} {
		t.Run(string(tt.answer), func(t *testing.T) {
			to, reason := tt.answer.Move(linkwork.DeclineFull)
			if to != tt.to || reason != tt.reason {
				t.Errorf("moves to %s (%q), want %s (%q)", to, reason, tt.to, tt.reason)
			}
			if next, _ := tt.answer.Next(); next != tt.next {
				t.Errorf("asks next %q, want %q", next, tt.next)
			}
			// The answer is one of its question's, and the move is one
			// the status the question waits in allows.
			for _, q := range linkwork.AnswerQuestions {
				for _, a := range q.Answers() {
					if a == tt.answer && !q.Awaits().CanBecome(to) {
						t.Errorf("a connection %s cannot become %s", q.Awaits(), to)
					}
				}
			}
			m := (&linkwork.GroupReply{Answer: tt.answer, Reason: linkwork.DeclineFull}).Move(3)
			if m.To != tt.to || m.Version != 3 {
				t.Errorf("the reply's move %+v", m)
			}
			if err := m.Validate(); err != nil {
				t.Errorf("the reply's move is refused: %v", err)
			}
		})
	}
}

func TestTheQuestionFollowsTheConnection(t *testing.T) {
	for status, want := range map[linkwork.ConnectionStatus]linkwork.AnswerQuestion{
		linkwork.ConnSuggested: linkwork.AskReferral, linkwork.ConnContacted: linkwork.AskReferral,
		linkwork.ConnAccepted: linkwork.AskAttendance, linkwork.ConnAttended: linkwork.AskStillComing,
		linkwork.ConnContinuing: "", linkwork.ConnDeclined: "", linkwork.ConnDropped: "",
	} {
		if got, ok := linkwork.QuestionFor(status); got != want || ok != (want != "") {
			t.Errorf("a connection %s asks %q (%v), want %q", status, got, ok, want)
		}
	}
}

func TestAGroupReplyNamesItsProblems(t *testing.T) {
	long := make([]byte, linkwork.MaxText+1)
	for i := range long {
		long[i] = 'x'
	}
	for _, tt := range []struct {
		name   string
		q      linkwork.AnswerQuestion
		r      linkwork.GroupReply
		fields []string
	}{
		{"an acceptance", linkwork.AskReferral, linkwork.GroupReply{Answer: linkwork.AnswerAccept, Note: "See you Tuesday"}, nil},
		{"a decline with its reason", linkwork.AskReferral, linkwork.GroupReply{Answer: linkwork.AnswerDecline, Reason: linkwork.DeclineNotRunning}, nil},
		{"no answer", linkwork.AskReferral, linkwork.GroupReply{}, []string{"answer"}},
		{"an answer to another question", linkwork.AskAttendance, linkwork.GroupReply{Answer: linkwork.AnswerAccept}, []string{"answer"}},
		{"a decline without a reason", linkwork.AskReferral, linkwork.GroupReply{Answer: linkwork.AnswerDecline}, []string{"reason"}},
		{"a reason that is not one", linkwork.AskReferral, linkwork.GroupReply{Answer: linkwork.AnswerDecline, Reason: "busy"}, []string{"reason"}},
		{"a reason for something else", linkwork.AskAttendance, linkwork.GroupReply{Answer: linkwork.AnswerCame, Reason: linkwork.DeclineFull}, []string{"reason"}},
		{"a note too long", linkwork.AskStillComing, linkwork.GroupReply{Answer: linkwork.AnswerStillComing, Note: string(long)}, []string{"note"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range linkwork.ErrorFields(tt.r.Validate(tt.q)) {
				got = append(got, f.Field)
			}
			if !reflect.DeepEqual(got, tt.fields) {
				t.Errorf("problems with %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestALinkRequestNamesItsProblems(t *testing.T) {
	for _, tt := range []struct {
		name  string
		r     linkwork.AnswerLinkRequest
		field string
	}{
		{"an email", linkwork.AnswerLinkRequest{Channel: linkwork.LinkEmail, To: "coach@boxing.example"}, ""},
		{"a text", linkwork.AnswerLinkRequest{Channel: linkwork.LinkText, To: "+44 7700 900123"}, ""},
		{"no channel", linkwork.AnswerLinkRequest{To: "coach@boxing.example"}, "channel"},
		{"no address", linkwork.AnswerLinkRequest{Channel: linkwork.LinkEmail}, "to"},
		{"an address that is not one", linkwork.AnswerLinkRequest{Channel: linkwork.LinkEmail, To: "Coach <coach@boxing.example>"}, "to"},
		{"a number too short", linkwork.AnswerLinkRequest{Channel: linkwork.LinkText, To: "0770 090"}, "to"},
		{"a number with letters", linkwork.AnswerLinkRequest{Channel: linkwork.LinkText, To: "07700 9OO123"}, "to"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.r.Normalised()
			fields := linkwork.ErrorFields(r.Validate())
			switch {
			case tt.field == "" && len(fields) > 0:
				t.Errorf("refused: %v", fields)
			case tt.field != "" && (len(fields) != 1 || fields[0].Field != tt.field):
				t.Errorf("problems %v, want one with %s", fields, tt.field)
			}
		})
	}
}

// TestAGroupIsToldOnlyWhatWelcomesThePerson: the welcome carries their
// name, the ways they chose to be contacted with only those details, and
// their access needs.
func TestAGroupIsToldOnlyWhatWelcomesThePerson(t *testing.T) {
	p := &linkwork.Person{GivenName: "Eleanor", PreferredName: "Ellie", FamilyName: "Ward", Phone: "07700 900123", Email: "ellie@example.org",
		Address: "1 Park Road", DateOfBirth: linkwork.Date{Year: 2010, Month: 5, Day: 14}, AccessibilityNeeds: "Step-free access",
		Contact: linkwork.ContactPreferences{Channels: []linkwork.Channel{linkwork.ChannelText, linkwork.ChannelLetter, linkwork.ChannelVia}, Via: "Her mum, Jo",
			BestTimes: "After school", Notes: "Do not call at school"}}
	var w linkwork.Welcome
	w.WelcomeOf(p)
	want := []linkwork.WelcomeContact{{Channel: linkwork.ChannelText, Detail: "07700 900123"}, {Channel: linkwork.ChannelVia, Detail: "Her mum, Jo"}}
	if w.Name() != "Ellie Ward" || !reflect.DeepEqual(w.Contact, want) || w.BestTimes != "After school" || w.AccessNeeds != "Step-free access" {
		t.Errorf("welcome %+v", w)
	}
}

func TestAHandOverTellsTheGroupWhoThePersonIsWhenItGoesLive(t *testing.T) {
	for _, tt := range []struct {
		level    linkwork.ConnectionLevel
		from, to linkwork.ConnectionStatus
		shares   bool
	}{
		{linkwork.LevelRefer, linkwork.ConnSuggested, linkwork.ConnContacted, true},
		{linkwork.LevelPhased, linkwork.ConnSuggested, linkwork.ConnAttended, true},
		{linkwork.LevelRefer, linkwork.ConnContacted, linkwork.ConnAccepted, false},
		{linkwork.LevelSignpost, linkwork.ConnSuggested, linkwork.ConnAttended, false},
		{linkwork.LevelBuddy, linkwork.ConnSuggested, linkwork.ConnDropped, false},
	} {
		c := &linkwork.Connection{Level: tt.level, Status: tt.from}
		if got := c.SharesWith(tt.to); got != tt.shares {
			t.Errorf("%s %s to %s shares %v, want %v", tt.level, tt.from, tt.to, got, tt.shares)
		}
	}
}

func TestAConsentSaysWhoAnswered(t *testing.T) {
	ok := linkwork.Consent{Kind: linkwork.ConsentShareCommunity, Given: true, GivenBy: "self"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := linkwork.Consent{Kind: "gossip"}
	var got []string
	for _, f := range linkwork.ErrorFields(bad.Validate()) {
		got = append(got, f.Field)
	}
	if !reflect.DeepEqual(got, []string{"kind", "given_by"}) {
		t.Errorf("problems with %v", got)
	}
}
