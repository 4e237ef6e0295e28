package linkwork

import (
	"context"
	"sort"
	"strconv"
)

// The evidence pack of a community group: how many people the service
// connected to its activities, how many went and are still going, month
// by month and by age band, and what people said of it. Groups close
// when their funding ends; the pack is what they attach to a bid. It
// leaves the service, so every count under SmallNumber is suppressed,
// whoever reads it.

// GroupEvidenceFilter says whose pack, and over how many months.
type GroupEvidenceFilter struct {
	// OrgID is the community organisation.
	OrgID string
	// Months is how many calendar months, this one included (UK time);
	// 0 for DefaultFlowMonths, at most MaxFlowMonths.
	Months int
}

// Validate names an organisation missing or months out of range.
func (f GroupEvidenceFilter) Validate() error {
	var p Problems
	if f.OrgID == "" {
		p.Add("org_id", "Choose the organisation")
	}
	p.Text("org_id", f.OrgID, MaxIDLength)
	if f.Months < 0 || f.Months > MaxFlowMonths {
		p.Addf("months", "Choose between 1 and %d months", MaxFlowMonths)
	}
	return p.Err()
}

// GroupFigure is a count as a reader outside the service may see it.
type GroupFigure struct {
	// N is the count; 0 when it is hidden.
	N      int
	Hidden Hidden
}

// Words says the figure: the number, or why it is not shown.
func (f GroupFigure) Words() string {
	if f.Hidden != Shown {
		return f.Hidden.Words()
	}
	return strconv.Itoa(f.N)
}

// GroupCounts are the people of one group of the pack (everyone, a
// month, an age band): each counted once however many activities of the
// organisation they were connected to.
type GroupCounts struct {
	// Connected: people the service connected to one of the
	// organisation's activities, at any level (given its details,
	// referred, taken by a buddy, or handed over in phases).
	Connected int
	// Referred: those of them referred, taken or handed over, not only
	// given the details.
	Referred int
	// Attended: those who went at least once.
	Attended int
	// StillGoing: those still going.
	StillGoing int
}

// GroupEvidenceRow is one group's figures, suppressed.
type GroupEvidenceRow struct {
	Key, Label                                string
	Connected, Referred, Attended, StillGoing GroupFigure
}

// GroupView is how many people said one thing of the activity they went
// to, as their link worker recorded it.
type GroupView struct {
	View   PersonView
	People GroupFigure
}

// GroupEvidence is an organisation's evidence pack.
type GroupEvidence struct {
	OrgID, OrgName string
	// Months are the months covered, oldest first (YYYY-MM, UK time).
	Months []string
	// All is everyone; ByMonth a row for each of Months (the month they
	// were connected); ByAgeBand a row for each age band (today) with
	// anyone in it, and one for ages not known.
	All       GroupEvidenceRow
	ByMonth   []GroupEvidenceRow
	ByAgeBand []GroupEvidenceRow
	// Views are what people said, a row for each of PersonViews; Said is
	// how many people's views were recorded.
	Views []GroupView
	Said  GroupFigure
}

// figure is a count, suppressed when under SmallNumber (but not when 0:
// nobody is no one to find).
func figure(n int) GroupFigure {
	if n > 0 && n < SmallNumber {
		return GroupFigure{Hidden: Small}
	}
	return GroupFigure{N: n}
}

// GroupRowOf suppresses a group's counts: each of 1 to 4 is "fewer than
// 5".
func GroupRowOf(key, label string, c GroupCounts) GroupEvidenceRow {
	return GroupEvidenceRow{Key: key, Label: label, Connected: figure(c.Connected), Referred: figure(c.Referred), Attended: figure(c.Attended), StillGoing: figure(c.StillGoing)}
}

// WithholdSecondary hides, in each column of a breakdown where exactly
// one cell is suppressed as small, the next smallest cell shown (other
// than 0) as well, so that the small one cannot be worked out from the
// whole.
func WithholdSecondary(rows []GroupEvidenceRow) {
	columns := []func(r *GroupEvidenceRow) *GroupFigure{
		func(r *GroupEvidenceRow) *GroupFigure { return &r.Connected },
		func(r *GroupEvidenceRow) *GroupFigure { return &r.Referred },
		func(r *GroupEvidenceRow) *GroupFigure { return &r.Attended },
		func(r *GroupEvidenceRow) *GroupFigure { return &r.StillGoing },
	}
	for _, col := range columns {
		cells := make([]*GroupFigure, len(rows))
		for i := range rows {
			cells[i] = col(&rows[i])
		}
		withhold(cells)
	}
}

// withhold hides the next smallest of cells shown (other than 0) when
// exactly one is small.
func withhold(cells []*GroupFigure) {
	small := 0
	for _, c := range cells {
		if c.Hidden == Small {
			small++
		}
	}
	if small != 1 {
		return
	}
	shown := make([]*GroupFigure, 0, len(cells))
	for _, c := range cells {
		if c.Hidden == Shown && c.N > 0 {
			shown = append(shown, c)
		}
	}
	if len(shown) == 0 {
		return
	}
	sort.SliceStable(shown, func(i, j int) bool { return shown[i].N < shown[j].N })
	*shown[0] = GroupFigure{Hidden: Withheld}
}

// GroupViewsOf suppresses what people said: each count of 1 to 4, and
// the next smallest with it when it is the only one.
func GroupViewsOf(counts map[PersonView]int) ([]GroupView, GroupFigure) {
	var out []GroupView
	total := 0
	for _, v := range PersonViews {
		out = append(out, GroupView{View: v, People: figure(counts[v])})
		total += counts[v]
	}
	cells := make([]*GroupFigure, len(out))
	for i := range out {
		cells[i] = &out[i].People
	}
	withhold(cells)
	return out, figure(total)
}

// GroupEvidenceService makes evidence packs.
type GroupEvidenceService interface {
	// GroupEvidence returns the organisation's pack as the actor may read
	// it: a community organisation's own users read theirs (every
	// service's connections to it); a coordinator any organisation's,
	// from the connections of their service. ENOTFOUND for an
	// organisation that does not exist or that the actor may not read
	// the pack of; EFORBIDDEN for anyone else; EINVALID, naming the
	// field, for months out of range.
	GroupEvidence(ctx context.Context, f GroupEvidenceFilter) (*GroupEvidence, error)
	// EvidenceGroups lists the organisations whose packs the actor may
	// read: their own, for a community organisation; those their service
	// connected anyone to, for a coordinator. Names only, by name.
	EvidenceGroups(ctx context.Context) ([]*Organisation, error)
}
