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
