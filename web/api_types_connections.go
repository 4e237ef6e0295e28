package web

import (
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// connectionIn is a new connection over the API.
type connectionIn struct {
	AssetID string                   `json:"asset_id"`
	Level   linkwork.ConnectionLevel `json:"level"`
	Note    string                   `json:"note"`
}

// connectionMoveIn is a connection's move over the API.
type connectionMoveIn struct {
	To      linkwork.ConnectionStatus `json:"to"`
	Version int                       `json:"version"`
	Reason  string                    `json:"reason"`
	Note    string                    `json:"note"`
}

// suggestionJSON is an activity suggested for a case's person.
type suggestionJSON struct {
	AssetID string   `json:"asset_id"`
	Name    string   `json:"name"`
	Score   int      `json:"score"`
	Reasons []string `json:"reasons"`
}

// suggestionListJSON is the suggestions for a case's person, best first.
type suggestionListJSON struct {
	Items []suggestionJSON `json:"items"`
}

// connectionStageIn is a phased hand-over's next stage over the API.
type connectionStageIn struct {
	Stage linkwork.HandOverStage `json:"stage"`
	On    string                 `json:"on"`
	Note  string                 `json:"note"`
}

// connectionStageJSON is a recorded stage of a phased hand-over.
type connectionStageJSON struct {
	ConnectionID string                 `json:"connection_id"`
	Stage        linkwork.HandOverStage `json:"stage"`
	On           string                 `json:"on"`
	Note         string                 `json:"note"`
	ByUserID     string                 `json:"by_user_id"`
	At           time.Time              `json:"at"`
}

func connectionStageOut(s *linkwork.ConnectionStage) connectionStageJSON {
	return connectionStageJSON{ConnectionID: s.ConnectionID, Stage: s.Stage, On: s.On.String(), Note: s.Note, ByUserID: s.ByUserID, At: s.At}
}

// connectionViewIn is the person's view of an activity over the API.
type connectionViewIn struct {
	View linkwork.PersonView `json:"view"`
	Why  string              `json:"why"`
}

// connectionViewJSON is a recorded view of an activity.
type connectionViewJSON struct {
	ConnectionID string              `json:"connection_id"`
	View         linkwork.PersonView `json:"view"`
	Why          string              `json:"why"`
	ByUserID     string              `json:"by_user_id"`
	At           time.Time           `json:"at"`
}

func connectionViewOut(v *linkwork.ConnectionView) connectionViewJSON {
	return connectionViewJSON{ConnectionID: v.ConnectionID, View: v.View, Why: v.Why, ByUserID: v.ByUserID, At: v.At}
}

// detailsIn asks for an activity's details to be given to the person.
type detailsIn struct {
	Way linkwork.DetailsWay `json:"way"`
}

// detailsGivenJSON records that the person was given an activity's
// details, with the message queued when they were sent.
type detailsGivenJSON struct {
	ConnectionID string              `json:"connection_id"`
	Way          linkwork.DetailsWay `json:"way"`
	At           time.Time           `json:"at"`
	Message      *personMessageJSON  `json:"message,omitempty"`
}

// activityDetailsJSON is an activity's details as the person reads them.
type activityDetailsJSON struct {
	ConnectionID string `json:"connection_id"`
	Subject      string `json:"subject"`
	Body         string `json:"body"`
}
