package linkwork

import (
	"context"
	"strings"
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

// ConnectionStatuses are the connection statuses, in the order a
// connection usually goes through them.
var ConnectionStatuses = []ConnectionStatus{ConnSuggested, ConnContacted, ConnAccepted, ConnDeclined, ConnAttended, ConnContinuing, ConnDropped}

// Label is the status as link workers and activity organisers say it.
func (s ConnectionStatus) Label() string {
	switch s {
	case ConnSuggested:
		return "Suggested"
	case ConnContacted:
		return "Activity contacted"
	case ConnAccepted:
		return "Accepted by the activity"
	case ConnDeclined:
		return "The activity could not take them"
	case ConnAttended:
		return "Went for the first time"
	case ConnContinuing:
		return "Still going"
	case ConnDropped:
		return "Stopped"
	}
	return string(s)
}

// ToActivity is the status as the activity's organisation reads it:
// what it is waiting for from them, or what they did.
func (s ConnectionStatus) ToActivity() string {
	switch s {
	case ConnContacted:
		return "Waiting for your answer"
	case ConnAccepted:
		return "You accepted them"
	case ConnDeclined:
		return "You could not take them"
	}
	return s.Label()
}

// Label is the level of help in words.
func (l ConnectionLevel) Label() string {
	switch l {
	case LevelSignpost:
		return "Signpost"
	case LevelRefer:
		return "Refer"
	case LevelBuddy:
		return "Buddy"
	case LevelPhased:
		return "Phased"
	}
	return string(l)
}

// ReasonLabel is why the connection ended, in words: a decline's reason by
// its label, a drop's as written.
func (m ConnectionMove) ReasonLabel() string {
	if m.To == ConnDeclined {
		return DeclineReason(m.Reason).Label()
	}
	return m.Reason
}

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

// Ended reports whether a connection in status s is over: the
// organisation declined the person, or they stopped going.
func (s ConnectionStatus) Ended() bool { return s == ConnDeclined || s == ConnDropped }

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

// Moves lists the statuses a connection in status s may move to, in the
// order of the journey.
func (s ConnectionStatus) Moves() []ConnectionStatus { return connectionTransitions[s] }

// Answers reports whether a move to t is the activity's organisation's to
// make: its answer to a referral (accepted or declined), whether the
// person came and keeps coming, and that they stopped. Contacting the
// organisation is the link worker's work.
func (t ConnectionStatus) Answers() bool {
	switch t {
	case ConnAccepted, ConnDeclined, ConnAttended, ConnContinuing, ConnDropped:
		return true
	}
	return false
}

// DeclineReason is why an activity's organisation could not take a person.
type DeclineReason string

// The reasons for a decline: no places, not right for the person, not
// running now, or something else (said in the note).
const (
	DeclineFull        DeclineReason = "full"
	DeclineNotSuitable DeclineReason = "not_suitable"
	DeclineNotRunning  DeclineReason = "not_running"
	DeclineOther       DeclineReason = "other"
)

// DeclineReasons are the reasons for a decline, in the order offered.
var DeclineReasons = []DeclineReason{DeclineFull, DeclineNotSuitable, DeclineNotRunning, DeclineOther}

// Label is the reason in words.
func (r DeclineReason) Label() string {
	switch r {
	case DeclineFull:
		return "No places"
	case DeclineNotSuitable:
		return "Not suitable for them"
	case DeclineNotRunning:
		return "Not running at the moment"
	case DeclineOther:
		return "Another reason"
	}
	return string(r)
}

// ConnectionMove is one change of a connection's status: asked for with
// To, Version, and Reason and Note when they are needed; recorded with
// From, who made it and when.
type ConnectionMove struct {
	ConnectionID string
	From, To     ConnectionStatus
	// Reason is why a connection ended: a DeclineReason when declined, in
	// words when dropped. Other moves have none.
	Reason string
	// Note is added to the connection's note (an organisation's answer
	// is appended to the link worker's note, never put in its place).
	Note    string
	Version int

	ByUserID string
	// ByLinkID is the link a group made the move through (ByUserID is
	// then AnswerActorPrefix and its id); "" for a move in linkwork.
	ByLinkID string
	// ByName is filled when moves are read: the user's name, or the
	// group's for a move through its link.
	ByName string
	At     time.Time
}

// Validate reports every problem with a move asked for as EINVALID,
// before it is held to the connection's status: a known status to move
// to, a reason when it ends the connection (a known code for a decline),
// and none when it does not.
func (m *ConnectionMove) Validate() error {
	var p Problems
	switch m.To {
	case ConnContacted, ConnAccepted, ConnDeclined, ConnAttended, ConnContinuing, ConnDropped:
	default:
		p.Add("to", "Choose what has happened: contacted, accepted, declined by asset, attended, continuing or dropped")
	}
	switch m.To {
	case ConnDeclined:
		switch DeclineReason(m.Reason) {
		case DeclineFull, DeclineNotSuitable, DeclineNotRunning, DeclineOther:
		case "":
			p.Add("reason", "Choose why they cannot take the person")
		default:
			p.Add("reason", "Choose full, not suitable, not running or other")
		}
	case ConnDropped:
		if strings.TrimSpace(m.Reason) == "" {
			p.Add("reason", "Say why the connection stopped")
		}
	default:
		if m.Reason != "" {
			p.Add("reason", "Only a decline or a drop has a reason: put anything else in the note")
		}
	}
	if m.Version < 1 {
		p.Add("version", "Send the version of the connection you read")
	}
	p.Text("reason", m.Reason, MaxShortText)
	p.Text("note", m.Note, MaxText)
	return p.Err()
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
	// FundPence is what the service's funds pay towards the activity,
	// travel or kit, in pence: the sum of the connection's approved fund
	// requests, kept by the fund service.
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
	// unknown level or asset. Its FundPence starts at nothing: only
	// approved requests to a fund add to it (FundService).
	CreateConnection(ctx context.Context, c *Connection) error
	// FindConnections returns the connections the actor may see.
	FindConnections(ctx context.Context, f ConnectionFilter) ([]*Connection, int, error)
	// MoveConnection changes a connection's status as m asks, and records
	// the move. EINVALID for a move m.Validate refuses or the status does
	// not allow; EFORBIDDEN for a move that is not the actor's to make;
	// ECONFLICT when m.Version is stale.
	MoveConnection(ctx context.Context, id string, m ConnectionMove) (*Connection, error)
	// FindConnectionMoves returns the moves of a case's connections the
	// actor may see, oldest first (the creation is the first move of each,
	// from no status to suggested).
	FindConnectionMoves(ctx context.Context, caseID string) ([]*ConnectionMove, error)
	// FindSuggestions ranks activities in the directory for a case's
	// person, best first, at most limit (5 when 0): for those who may read
	// the case (ENOTFOUND otherwise).
	FindSuggestions(ctx context.Context, caseID string, limit int) ([]Suggestion, error)
}

// Suggestion is an activity suggested for a case's person: its score (the
// higher the better; see package match for the weights) and why, in
// sentences a link worker can read aloud.
type Suggestion struct {
	AssetID string
	Name    string
	Score   int
	Reasons []string
}

// YouthAge is the age below which a person is a young person, for whom a
// youth-friendly activity counts.
const YouthAge = 25

// AgeBandOf is the band of AgeBands that age a falls in: people in it
// are "people like them" when counting how people fared at an activity.
func AgeBandOf(a int) AgeBand {
	for _, b := range AgeBands {
		if a >= b.Min && (b.Max == 0 || a <= b.Max) {
			return b
		}
	}
	return AgeBands[len(AgeBands)-1]
}

// HandOverStage is a step of a phased hand-over, in which the link worker
// steps back until the person goes alone.
type HandOverStage string

// The stages of a phased hand-over, in order: the link worker stays the
// whole session, then meets the person at the door, then the person goes
// alone.
const (
	StageWholeSession HandOverStage = "whole_session"
	StageAtTheDoor    HandOverStage = "at_the_door"
	StageAlone        HandOverStage = "alone"
)

// HandOverStages are the stages of a phased hand-over, in order.
var HandOverStages = []HandOverStage{StageWholeSession, StageAtTheDoor, StageAlone}

// Label is the stage in words.
func (s HandOverStage) Label() string {
	switch s {
	case StageWholeSession:
		return "Stayed the whole session"
	case StageAtTheDoor:
		return "Met them at the door"
	case StageAlone:
		return "They went alone"
	}
	return string(s)
}

// ConnectionStage records that a phased hand-over reached a stage on a
// day: asked for with Stage, On and Note; recorded with who and when.
type ConnectionStage struct {
	ConnectionID string
	Stage        HandOverStage
	On           Date
	Note         string

	ByUserID string
	ByName   string // filled when stages are read
	At       time.Time
}

// Validate reports every problem with a stage asked for as EINVALID,
// before it is held to the connection: a known stage, a date that is not
// after today, and a note of at most MaxShortText characters.
func (s *ConnectionStage) Validate(today Date) error {
	var p Problems
	switch s.Stage {
	case StageWholeSession, StageAtTheDoor, StageAlone:
	default:
		p.Add("stage", "Choose whole session, at the door or alone")
	}
	if s.On.IsZero() {
		p.Add("on", "Enter the date of the stage")
	} else if today.Before(s.On) {
		p.Add("on", "The date of the stage must be today or in the past")
	}
	p.Text("note", s.Note, MaxShortText)
	return p.Err()
}

// NextStage is the stage a phased hand-over that has reached the stages
// done (in order) goes to next, and false when it has reached them all.
func NextStage(done []HandOverStage) (HandOverStage, bool) {
	if len(done) >= len(HandOverStages) {
		return "", false
	}
	return HandOverStages[len(done)], true
}

// CheckStage reports whether connection c, whose hand-over has reached
// the stages done, the last of them on last, may record stage s: only a
// phased connection that has not ended, each stage once and in order, no
// earlier than the one before. The problem names the field.
func (c *Connection) CheckStage(done []HandOverStage, last Date, s *ConnectionStage) error {
	if c.Level != LevelPhased {
		return FieldErr("stage", "Only a phased connection is handed over in stages")
	}
	if c.Status.Ended() {
		return FieldErr("stage", "This connection has ended")
	}
	next, ok := NextStage(done)
	if !ok {
		return FieldErr("stage", "Every stage of this hand-over is recorded: they go alone")
	}
	if s.Stage != next {
		return FieldErr("stage", "The next stage is "+strings.ToLower(next.Label())+": record the stages in order, each once")
	}
	if !last.IsZero() && s.On.Before(last) {
		return FieldErr("on", "The date must not be before the stage before it, "+last.String())
	}
	return nil
}

// PersonView is what a person thought of an activity they went to.
type PersonView string

// The views a person may have of an activity.
const (
	ViewLikedIt  PersonView = "liked_it"
	ViewNotForMe PersonView = "not_for_me"
	ViewMixed    PersonView = "mixed"
)

// PersonViews are the views, in the order offered.
var PersonViews = []PersonView{ViewLikedIt, ViewNotForMe, ViewMixed}

// Label is the view in words.
func (v PersonView) Label() string {
	switch v {
	case ViewLikedIt:
		return "Liked it"
	case ViewNotForMe:
		return "Not for me"
	case ViewMixed:
		return "Mixed"
	}
	return string(v)
}

// ConnectionView is the person's view of the activity a connection took
// them to, recorded by the link worker after they went.
type ConnectionView struct {
	ConnectionID string
	View         PersonView
	Why          string

	ByUserID string
	At       time.Time
}

// Validate reports every problem with a view as EINVALID: a known view,
// and why, in at most MaxText characters.
func (v *ConnectionView) Validate() error {
	var p Problems
	switch v.View {
	case ViewLikedIt, ViewNotForMe, ViewMixed:
	default:
		p.Add("view", "Choose liked it, not for me or mixed")
	}
	if strings.TrimSpace(v.Why) == "" {
		p.Add("why", "Say why, in the person's words")
	}
	p.Text("why", v.Why, MaxText)
	return p.Err()
}

// HasGone reports whether a person whose connection is in status s has
// been to the activity, so that their view of it may be recorded.
func (s ConnectionStatus) HasGone() bool { return s == ConnAttended || s == ConnContinuing }

// MinViewsShown is how many views of an activity there must be before
// its organisation is shown how many liked it: fewer might name people.
const MinViewsShown = 5

// ActivityViews is how the people who went to an activity found it, in
// numbers only.
type ActivityViews struct {
	AssetID, AssetName       string
	LikedIt, NotForMe, Mixed int
}

// ConnectionStageService records phased hand-overs and what people
// thought of the activities they went to. Only those who work a case
// (auth.ActionUpdate on the connection) record them; an organisation
// sees only numbers.
type ConnectionStageService interface {
	// RecordStage records the next stage of a phased hand-over. EINVALID
	// for a stage s.Validate or c.CheckStage refuses; EFORBIDDEN for an
	// actor who may not work the connection.
	RecordStage(ctx context.Context, id string, s *ConnectionStage) error
	// FindConnectionStages returns the stages of a case's connections the
	// actor may see, in order.
	FindConnectionStages(ctx context.Context, caseID string) ([]*ConnectionStage, error)
	// RecordView records (or replaces) the person's view of the activity
	// of a connection they have been to (HasGone); EINVALID otherwise.
	RecordView(ctx context.Context, id string, v *ConnectionView) error
	// FindConnectionViews returns the views recorded on a case's
	// connections the actor may see.
	FindConnectionViews(ctx context.Context, caseID string) ([]*ConnectionView, error)
	// FindActivityViews returns, for each activity the actor's
	// organisation runs that has at least MinViewsShown views, how many
	// liked it, did not, or were mixed; no names.
	FindActivityViews(ctx context.Context) ([]ActivityViews, error)
}
