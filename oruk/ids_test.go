package oruk_test

import (
	"testing"

	"github.com/linkwork/linkwork/oruk"
)

// A service-at-location id is kept by the store and by every consumer of
// the feed, so the rule that makes it must not change: this is the id
// the rule gave the football club's place when it moved here from orukio.
func TestServiceAtLocationIDIsStable(t *testing.T) {
	if got, want := oruk.ServiceAtLocationID(clubSvcID, clubLocID), "37187f45-9c70-57b2-b3cd-68221475ce32"; got != want {
		t.Errorf("ServiceAtLocationID = %s, want %s", got, want)
	}
	if oruk.ServiceAtLocationID(clubSvcID, clubLocID) == oruk.ServiceAtLocationID(clubLocID, clubSvcID) {
		t.Error("the service and the location are interchangeable")
	}
}
