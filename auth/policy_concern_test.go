package auth

import (
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

func TestWhoSeesAConcern(t *testing.T) {
	raisedByOther := Record{Kind: KindConcern, ServiceOrgID: service, LinkWorkerID: "u-someone-else", RaisedBy: otherWorker.UserID}
	tests := []struct {
		name   string
		actor  linkwork.Actor
		record Record
		want   bool
	}{
		{"the case's link worker sees a concern about their person", linkWorker, concern, true},
		{"whoever raised a concern sees it, though the case is not theirs", otherWorker, raisedByOther, true},
		{"another link worker does not see a concern they neither raised nor work", otherWorker, concern, false},
		{"the coordinator sees the service's concerns", coordinator, concern, true},
		{"the safeguarding lead sees the service's concerns", safeguarding, concern, true},
		{"another service's lead sees none", foreignLead, concern, false},
		{"another service's coordinator sees none", foreignCoord, concern, false},
		{"the referrer never sees a concern", referrer, concern, false},
		{"a community organisation never sees a concern", community, concern, false},
		{"a commissioner never sees a concern", commissioner, concern, false},
		{"an administrator has no part in a person's safety", admin, concern, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Can(tt.actor, ActionRead, tt.record); got != tt.want {
				t.Errorf("Can(read) = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWhoRaisesAndActsOnAConcern(t *testing.T) {
	tests := []struct {
		name   string
		actor  linkwork.Actor
		action Action
		record Record
		want   bool
	}{
		{"the case's link worker raises one on their case", linkWorker, ActionRaiseConcern, theCase, true},
		{"another link worker does not raise one on a case not theirs", otherWorker, ActionRaiseConcern, theCase, false},
		{"a coordinator raises one on any case of the service", coordinator, ActionRaiseConcern, theCase, true},
		{"the safeguarding lead raises one on a case", safeguarding, ActionRaiseConcern, theCase, true},
		{"another service's coordinator does not", foreignCoord, ActionRaiseConcern, theCase, false},
		{"any link worker of the service raises one on a referral", otherWorker, ActionRaiseConcern, referral, true},
		{"the safeguarding lead raises one on a referral", safeguarding, ActionRaiseConcern, referral, true},
		{"the referrer raises none in the app (they tell the service)", referrer, ActionRaiseConcern, referral, false},
		{"a community organisation raises none", community, ActionRaiseConcern, referral, false},
		{"the safeguarding lead records what was done", safeguarding, ActionUpdate, concern, true},
		{"a coordinator records what was done", coordinator, ActionUpdate, concern, true},
		{"the link worker does not record the lead's actions", linkWorker, ActionUpdate, concern, false},
		{"another service's lead does not", foreignLead, ActionUpdate, concern, false},
		{"the safeguarding lead closes a concern", safeguarding, ActionClose, concern, true},
		{"a coordinator does not close one", coordinator, ActionClose, concern, false},
		{"the link worker does not close one", linkWorker, ActionClose, concern, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Can(tt.actor, tt.action, tt.record); got != tt.want {
				t.Errorf("Can(%s) = %v, want %v", tt.action, got, tt.want)
			}
		})
	}
}
