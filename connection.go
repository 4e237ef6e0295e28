package linkwork

import (
	"context"
	"time"
)

// ConnectionLevel is how much help a person gets to reach an activity.
type ConnectionLevel string

// The connection levels: give the information; make the contact for them;
// go with them the first time; go with them and hand over in phases (stay
// the whole time, then meet at the door, then they go alone).
const (
	LevelSignpost ConnectionLevel = "signpost"
	LevelRefer    ConnectionLevel = "refer"
	LevelBuddy    ConnectionLevel = "buddy"
	LevelPhased   ConnectionLevel = "phased"
)

// HandsOver reports whether a connection at level l puts the person in
// the hands of the activity's organisation (refer, buddy, phased), rather
// than only telling the person about it (signpost). Only then does the
// organisation learn who the person is.
func (l ConnectionLevel) HandsOver() bool {
	return l == LevelRefer || l == LevelBuddy || l == LevelPhased
}

// HandOverLevels are the levels that HandsOver.
var HandOverLevels = []ConnectionLevel{LevelRefer, LevelBuddy, LevelPhased}

// ConnectionStatus tracks a connection from suggestion to (we hope) a
// lasting habit.
type ConnectionStatus string

// The connection statuses.
const (
	ConnSuggested  ConnectionStatus = "suggested"
	ConnContacted  ConnectionStatus = "contacted"
	ConnAccepted   ConnectionStatus = "accepted"
	ConnDeclined   ConnectionStatus = "declined_by_asset"
	ConnAttended   ConnectionStatus = "attended" // went for the first time
	ConnContinuing ConnectionStatus = "continuing"
	ConnDropped    ConnectionStatus = "dropped"
)

var connectionTransitions = map[ConnectionStatus][]ConnectionStatus{
	ConnSuggested:  {ConnContacted, ConnAccepted, ConnAttended, ConnDropped},
	ConnContacted:  {ConnAccepted, ConnDeclined, ConnDropped},
	ConnAccepted:   {ConnAttended, ConnDropped},
	ConnAttended:   {ConnContinuing, ConnDropped},
	ConnContinuing: {ConnDropped},
}

// Live reports whether the activity's organisation is helping the person
// now: it has been contacted, has accepted them, or they attend. A
// suggestion is the link worker's own thinking; a declined or dropped
// connection is over.
func (s ConnectionStatus) Live() bool {
	return s == ConnContacted || s == ConnAccepted || s == ConnAttended || s == ConnContinuing
}

// LiveStatuses are the statuses that are Live.
var LiveStatuses = []ConnectionStatus{ConnContacted, ConnAccepted, ConnAttended, ConnContinuing}

// CanBecome reports whether a connection in status s may move to t.
func (s ConnectionStatus) CanBecome(t ConnectionStatus) bool {
	for _, x := range connectionTransitions[s] {
		if x == t {
			return true
		}
	}
	return false
}

// Connection links a person, in a case, to a community asset.
type Connection struct {
	ID       string
	CaseID   string
	PersonID string
	AssetID  string
	Level    ConnectionLevel
	Status   ConnectionStatus
	Note     string
	// FundPence is what the service's fund pays towards the activity, travel
	// or kit, in pence.
	FundPence int

	// PersonName, AssetName and LinkWorkerName (who holds the case, for
	// the organisation to talk to) are filled when a connection is read.
	PersonName     string
	AssetName      string
	LinkWorkerName string

	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Validate reports every problem with a new connection as EINVALID: a
// known level, an activity, funding of nothing or more, and a note of at
// most MaxText characters.
func (c *Connection) Validate() error {
	var p Problems
	switch c.Level {
	case LevelSignpost, LevelRefer, LevelBuddy, LevelPhased:
	default:
		p.Add("level", "Choose signpost, refer, buddy or phased")
	}
	if c.AssetID == "" {
		p.Add("asset_id", "Choose the activity to connect the person to")
	}
	if c.FundPence < 0 {
		p.Add("fund_pence", "Funding cannot be negative")
	}
	p.Text("id", c.ID, MaxIDLength)
	p.Text("case_id", c.CaseID, MaxIDLength)
	p.Text("asset_id", c.AssetID, MaxIDLength)
	p.Text("note", c.Note, MaxText)
	return p.Err()
}

// ConnectionFilter narrows a list of connections.
type ConnectionFilter struct {
	CaseID  string
	AssetID string
	Status  []ConnectionStatus
	Offset  int
	Limit   int
}

// ConnectionService tracks connections. Link workers make them for their
// own cases; a community organisation sees the connections that hand a
// person over to its own assets (HandsOver) while they are Live, without
// the link worker's note, and accepts or declines them. Every read and
// change is audited.
type ConnectionService interface {
	// CreateConnection suggests an asset for a case. EINVALID for an
	// unknown level or asset.
	CreateConnection(ctx context.Context, c *Connection) error
	// FindConnections returns the connections the actor may see.
	FindConnections(ctx context.Context, f ConnectionFilter) ([]*Connection, int, error)
	// MoveConnection changes a connection's status. EINVALID for a move the
	// status does not allow; ECONFLICT when version is stale.
	MoveConnection(ctx context.Context, id string, version int, to ConnectionStatus, note string) (*Connection, error)
}
