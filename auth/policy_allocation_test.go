package auth

import (
	"fmt"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

func TestWhoMayMoveCasesBetweenWorkers(t *testing.T) {
	waiting := Record{Kind: KindCase, ServiceOrgID: service}
	tests := []struct {
		actor  linkwork.Actor
		action Action
		record Record
		want   bool
	}{
		{linkWorker, ActionTakeNext, waiting, true},
		{otherWorker, ActionTakeNext, waiting, true},
		{coordinator, ActionTakeNext, waiting, false},
		{foreignCoord, ActionTakeNext, waiting, false},
		{safeguarding, ActionTakeNext, waiting, false},
		{coordinator, ActionSetComplexity, theCase, true},
		{linkWorker, ActionSetComplexity, theCase, false},
		{foreignCoord, ActionSetComplexity, theCase, false},
		{coordinator, ActionHandOver, theCase, true},
		{linkWorker, ActionHandOver, theCase, false},
		{safeguarding, ActionHandOver, theCase, false},
		{anonymous, ActionTakeNext, waiting, false},
		{linkWorker, ActionCheckWaiting, waiting, true},
		{coordinator, ActionCheckWaiting, waiting, true},
		{safeguarding, ActionCheckWaiting, waiting, false},
		{foreignCoord, ActionCheckWaiting, waiting, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %s = %v", tt.actor.Role, tt.action, tt.want), func(t *testing.T) {
			if got := Can(tt.actor, tt.action, tt.record); got != tt.want {
				t.Fatalf("Can = %v, want %v", got, tt.want)
			}
		})
	}
}
