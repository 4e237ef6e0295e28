package web

import linkwork "github.com/linkwork/linkwork"

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
