package web

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/ukpostcode"
)

// The listing form: every part of a listing, as the add page, the edit
// page and a verification link's correction page show it. It keeps what
// was typed, so that nothing is lost when it comes back with errors.
// Field names are the ones Asset.Validate names problems by, except where
// the form asks in plainer terms (days as ticks, a session's place as a
// choice of the form's places); problems are moved onto those fields.

// listingForm is a listing as its form holds it.
type listingForm struct {
	Version                                      string
	OrgID                                        string
	Name, Description, URL, Email, Phone, Status string
	Categories                                   []string
	MinAge, MaxAge                               string
	HowToJoin                                    string
	CapStatus, CapAvailable, CapMaximum          string
	YouthFriendly, BuddyWelcome                  bool
	Accessibility                                string
	Languages, ServiceAreas                      string // separated by commas
	Places                                       []placeRow
	Schedules                                    []scheduleRow
	Contacts                                     []contactRow
	Costs                                        []costRow
	// Confirm: the editor says everything in the listing is right today,
	// so it shows as checked today.
	Confirm bool
}

// placeRow is one of a listing's places: a place people go to, or online.
type placeRow struct {
	ID, Type, Name, Address1, City, County, Postcode, URL string
	Remove                                                bool
}

// scheduleRow is one regular session. Days are ticked ("MO", "WE"); Week
// is "" for every week or "1" … "4", "-1" for that week of the month;
// Place is the index of one of the form's place rows, or "".
type scheduleRow struct {
	Days                                 []string
	Week, OpensAt, ClosesAt, Note, Place string
	Remove                               bool
}
type contactRow struct {
	ID, Name, Title, Email, Phone string
	Remove                        bool
}
type costRow struct {
	ID, Option, Amount, Description string
	Remove                          bool
}

func (r placeRow) Blank() bool {
	return r.Name == "" && r.Address1 == "" && r.City == "" && r.County == "" && r.Postcode == "" && r.URL == ""
}

// Online reports whether the row is an online place.
func (r placeRow) Online() bool { return r.Type == string(linkwork.LocationVirtual) }

func (r scheduleRow) Blank() bool {
	return len(r.Days) == 0 && r.OpensAt == "" && r.ClosesAt == "" && r.Note == ""
}

// HasDay reports whether the day is ticked.
func (r scheduleRow) HasDay(d string) bool { return slices.Contains(r.Days, d) }

func (r contactRow) Blank() bool {
	return r.Name == "" && r.Title == "" && r.Email == "" && r.Phone == ""
}
func (r costRow) Blank() bool { return r.Option == "" && r.Amount == "" && r.Description == "" }

// removeBox is a row's "remove this" checkbox.
type removeBox struct {
	Name    string
	Checked bool
}

func newRemoveBox(group string, i int, checked bool) removeBox {
	return removeBox{Name: fmt.Sprintf("%s[%d].remove", group, i), Checked: checked}
}

// RemoveBox is the row's "remove this" checkbox, for row i of the group.
func (r placeRow) RemoveBox(group string, i int) removeBox { return newRemoveBox(group, i, r.Remove) }
func (r scheduleRow) RemoveBox(group string, i int) removeBox {
	return newRemoveBox(group, i, r.Remove)
}
func (r contactRow) RemoveBox(group string, i int) removeBox { return newRemoveBox(group, i, r.Remove) }
func (r costRow) RemoveBox(group string, i int) removeBox    { return newRemoveBox(group, i, r.Remove) }

// HasCategory reports whether the category is ticked.
func (f listingForm) HasCategory(c string) bool { return slices.Contains(f.Categories, c) }

func optInt(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

// ageLabel is an age for the form: blank for no limit.
func ageLabel(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// poundsLabel writes pence as pounds for a form: "2.50", "0".
func poundsLabel(p *int) string {
	if p == nil {
		return ""
	}
	if *p%100 == 0 {
		return strconv.Itoa(*p / 100)
	}
	return fmt.Sprintf("%d.%02d", *p/100, *p%100)
}

var weekDayRe = regexp.MustCompile(`^(-?[1-5])?([A-Z]{2})$`)

// formOf fills the form from a listing, with blank rows to add more.
func formOf(a *linkwork.Asset) listingForm {
	f := listingForm{Version: strconv.Itoa(a.Version), OrgID: a.OrgID, Name: a.Name, Description: a.Description, URL: a.URL, Email: a.Email, Phone: a.Phone,
		Status: string(a.Status), MinAge: ageLabel(a.MinAge), MaxAge: ageLabel(a.MaxAge), HowToJoin: string(a.HowToJoin),
		CapStatus: string(a.Capacity.Status), CapAvailable: optInt(a.Capacity.Available), CapMaximum: optInt(a.Capacity.Maximum),
		YouthFriendly: a.YouthFriendly, BuddyWelcome: a.BuddyWelcome, Accessibility: a.Accessibility,
		Languages: strings.Join(a.Languages, ", "), ServiceAreas: strings.Join(a.ServiceAreas, ", ")}
	if a.Version == 0 {
		f.Version = ""
	}
	for _, c := range a.Categories {
		f.Categories = append(f.Categories, string(c))
	}
	for _, l := range a.Locations {
		f.Places = append(f.Places, placeRow{ID: l.ID, Type: string(l.Type), Name: l.Name, Address1: l.Address1, City: l.City,
			County: l.StateProvince, Postcode: l.PostalCode, URL: l.URL})
	}
	for _, s := range a.Schedules {
		f.Schedules = append(f.Schedules, scheduleRows(a, s)...)
	}
	for _, c := range a.Contacts {
		f.Contacts = append(f.Contacts, contactRow{ID: c.ID, Name: c.Name, Title: c.Title, Email: c.Email, Phone: c.Phone})
	}
	for _, c := range a.CostOptions {
		f.Costs = append(f.Costs, costRow{ID: c.ID, Option: c.Option, Amount: poundsLabel(c.Amount), Description: c.AmountDescription})
	}
	f.addBlankRows()
	return f
}

// scheduleRows are a session as the form shows it: one row, or one for
// each week of the month when it runs in several ("1MO,3MO": the first
// and third Monday), since a row has one week.
func scheduleRows(a *linkwork.Asset, s linkwork.Schedule) []scheduleRow {
	var rows []scheduleRow
	byWeek := map[string]int{} // week → its row
	for _, d := range strings.Split(s.ByDay, ",") {
		m := weekDayRe.FindStringSubmatch(d)
		if m == nil {
			continue
		}
		week := m[1]
		if s.Freq == "MONTHLY" && week == "" {
			week = "1"
		}
		i, ok := byWeek[week]
		if !ok {
			i = len(rows)
			byWeek[week] = i
			rows = append(rows, scheduleRow{Week: week, OpensAt: s.OpensAt, ClosesAt: s.ClosesAt, Note: s.Note})
		}
		rows[i].Days = append(rows[i].Days, m[2])
	}
	if len(rows) == 0 {
		rows = append(rows, scheduleRow{OpensAt: s.OpensAt, ClosesAt: s.ClosesAt, Note: s.Note})
	}
	for i, l := range a.Locations {
		if s.LocationID != "" && l.ID == s.LocationID {
			for j := range rows {
				rows[j].Place = strconv.Itoa(i)
			}
		}
	}
	return rows
}

// newListingForm is the form for a new listing: two places (so that one
// may be a place and one online), two sessions, two costs and a contact.
func newListingForm(orgID string) listingForm {
	f := listingForm{OrgID: orgID, Status: string(linkwork.AssetActive)}
	f.Places = []placeRow{{Type: string(linkwork.LocationPhysical)}, {Type: string(linkwork.LocationPhysical)}}
	f.Schedules = []scheduleRow{{}, {}}
	f.Costs = []costRow{{}, {}}
	f.addBlankRows()
	return f
}

// addBlankRows makes sure each repeating group ends with a blank row, so
// that one more can be added without JavaScript. Rows are only ever added
// at the end, so the field names of the rows before stay the same.
func (f *listingForm) addBlankRows() {
	if n := len(f.Places); n == 0 || !f.Places[n-1].Blank() {
		f.Places = append(f.Places, placeRow{Type: string(linkwork.LocationPhysical)})
	}
	if n := len(f.Schedules); n == 0 || !f.Schedules[n-1].Blank() {
		f.Schedules = append(f.Schedules, scheduleRow{})
	}
	if n := len(f.Contacts); n == 0 || !f.Contacts[n-1].Blank() {
		f.Contacts = append(f.Contacts, contactRow{})
	}
	if n := len(f.Costs); n == 0 || !f.Costs[n-1].Blank() {
		f.Costs = append(f.Costs, costRow{})
	}
}

// maxFormRows bounds the rows of each list a form may send.
const maxFormRows = 50

// readListingForm reads the form as typed.
func readListingForm(r *http.Request) listingForm {
	get := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	ticked := func(k string) bool { return r.PostFormValue(k) != "" }
	rows := func(k string) int {
		n, err := strconv.Atoi(get(k))
		if err != nil || n < 0 {
			return 0
		}
		return min(n, maxFormRows)
	}
	f := listingForm{Version: get("version"), OrgID: get("org_id"), Name: get("name"), Description: get("description"), URL: get("url"), Email: get("email"), Phone: get("phone"),
		Status: get("status"), MinAge: get("min_age"), MaxAge: get("max_age"), HowToJoin: get("how_to_join"),
		CapStatus: get("capacity.status"), CapAvailable: get("capacity.available"), CapMaximum: get("capacity.maximum"),
		YouthFriendly: ticked("youth_friendly"), BuddyWelcome: ticked("buddy_welcome"), Accessibility: get("accessibility"),
		Languages: get("languages"), ServiceAreas: get("service_areas"), Confirm: get("confirm_current") == "yes"}
	if r.PostForm != nil {
		for _, c := range r.PostForm["categories"] {
			if c = strings.TrimSpace(c); c != "" && !slices.Contains(f.Categories, c) {
				f.Categories = append(f.Categories, c)
			}
		}
	}
	for i := range rows("locations") {
		at := fmt.Sprintf("locations[%d].", i)
		f.Places = append(f.Places, placeRow{ID: get(at + "id"), Type: get(at + "type"), Name: get(at + "name"), Address1: get(at + "address_1"),
			City: get(at + "city"), County: get(at + "state_province"), Postcode: get(at + "postal_code"), URL: get(at + "url"), Remove: ticked(at + "remove")})
	}
	for i := range rows("schedules") {
		at := fmt.Sprintf("schedules[%d].", i)
		s := scheduleRow{Week: get(at + "week"), OpensAt: get(at + "opens_at"), ClosesAt: get(at + "closes_at"), Note: get(at + "note"),
			Place: get(at + "place"), Remove: ticked(at + "remove")}
		for _, d := range r.PostForm[at+"days"] {
			if slices.Contains(linkwork.Weekdays, d) && !slices.Contains(s.Days, d) {
				s.Days = append(s.Days, d)
			}
		}
		f.Schedules = append(f.Schedules, s)
	}
	for i := range rows("contacts") {
		at := fmt.Sprintf("contacts[%d].", i)
		f.Contacts = append(f.Contacts, contactRow{ID: get(at + "id"), Name: get(at + "name"), Title: get(at + "title"), Email: get(at + "email"),
			Phone: get(at + "phone"), Remove: ticked(at + "remove")})
	}
	for i := range rows("cost_options") {
		at := fmt.Sprintf("cost_options[%d].", i)
		f.Costs = append(f.Costs, costRow{ID: get(at + "id"), Option: get(at + "option"), Amount: get(at + "amount"),
			Description: get(at + "amount_description"), Remove: ticked(at + "remove")})
	}
	return f
}

// postcodeFinder places a full postcode from the loaded postcode table;
// false when it is not there.
type postcodeFinder func(postcode string) (linkwork.Point, bool)

// applied is a form applied to a listing: the listing it makes, and where
// each of its rows came from in the form, to name problems by the form's
// fields.
type applied struct {
	Asset                              *linkwork.Asset
	places, schedules, contacts, costs []int // the form row of each of the listing's
}

// apply returns base changed as the form says, with every problem: those
// the form alone shows (numbers that are not numbers, a postcode we
// cannot find) and the listing's own (Validate), named by the form's
// fields. Blank rows and rows ticked to remove are dropped.
func (f listingForm) apply(base *linkwork.Asset, find postcodeFinder) (*applied, linkwork.Problems) {
	var p linkwork.Problems
	a := *base
	out := &applied{Asset: &a}
	a.Version, _ = strconv.Atoi(f.Version)
	a.Name, a.Description, a.URL, a.Email, a.Phone = f.Name, f.Description, f.URL, f.Email, f.Phone
	a.Status = linkwork.AssetStatus(f.Status)
	a.HowToJoin = linkwork.HowToJoin(f.HowToJoin)
	a.Capacity.Status = linkwork.CapacityStatus(f.CapStatus)
	a.YouthFriendly, a.BuddyWelcome, a.Accessibility = f.YouthFriendly, f.BuddyWelcome, f.Accessibility
	a.Categories = nil
	for _, c := range f.Categories {
		a.Categories = append(a.Categories, linkwork.Category(c))
	}
	num := func(field, s, msg string) *int {
		if s == "" {
			return nil
		}
		n, err := parseInt(s)
		if err != nil {
			p.Add(field, msg)
			return nil
		}
		return &n
	}
	a.Capacity.Available = num("capacity.available", f.CapAvailable, "Enter the places free as a whole number, like 4, or leave it blank")
	a.Capacity.Maximum = num("capacity.maximum", f.CapMaximum, "Enter the places in all as a whole number, like 12, or leave it blank")
	a.MinAge, a.MaxAge = 0, 0
	if n := num("min_age", f.MinAge, "Enter the youngest age as a whole number, like 11, or leave it blank"); n != nil {
		a.MinAge = *n
	}
	if n := num("max_age", f.MaxAge, "Enter the oldest age as a whole number, like 18, or leave it blank"); n != nil {
		a.MaxAge = *n
	}
	a.Languages, a.ServiceAreas = splitList(f.Languages), splitList(f.ServiceAreas)

	a.Locations, a.Schedules, a.Contacts, a.CostOptions = nil, nil, nil, nil
	placeIDs := map[int]string{} // form row → the place's ID
	for i, l := range f.Places {
		if l.Blank() || l.Remove {
			continue
		}
		var was *linkwork.Location
		if l.ID != "" {
			was = base.Location(l.ID)
		}
		loc := linkwork.Location{Type: linkwork.LocationType(l.Type), Name: l.Name, Address1: l.Address1, City: l.City, StateProvince: l.County,
			PostalCode: l.Postcode, URL: l.URL}
		if was != nil {
			loc.ID, loc.Country = was.ID, was.Country
		} else {
			// A new place gets its ID now, so that a session can be at it.
			loc.ID = uuid.NewString()
		}
		if loc.Type == "" {
			loc.Type = linkwork.LocationPhysical
			if l.Postcode == "" && l.URL != "" {
				loc.Type = linkwork.LocationVirtual
			}
		}
		if !loc.Physical() {
			// An online place has no address, whatever the hidden fields hold.
			loc.Address1, loc.City, loc.StateProvince, loc.PostalCode, loc.Country = "", "", "", "", ""
		} else {
			loc.URL = ""
			if msg := placeable(loc.PostalCode, find); msg != "" {
				p.Add(fmt.Sprintf("locations[%d].postal_code", i), msg)
			}
		}
		placeIDs[i] = loc.ID
		a.Locations = append(a.Locations, loc)
		out.places = append(out.places, i)
	}
	for i, s := range f.Schedules {
		if s.Blank() || s.Remove {
			continue
		}
		sc := linkwork.Schedule{Freq: "WEEKLY", OpensAt: s.OpensAt, ClosesAt: s.ClosesAt, Note: s.Note}
		if s.Week != "" {
			sc.Freq = "MONTHLY"
		}
		var days []string
		for _, d := range linkwork.Weekdays { // Monday first, whatever order they came in
			if s.HasDay(d) {
				days = append(days, s.Week+d)
			}
		}
		sc.ByDay = strings.Join(days, ",")
		if len(days) == 0 {
			p.Add(fmt.Sprintf("schedules[%d].days", i), "Choose the day or days it runs")
		}
		if s.Place != "" {
			if n, err := strconv.Atoi(s.Place); err == nil {
				sc.LocationID = placeIDs[n]
			}
			if sc.LocationID == "" {
				p.Add(fmt.Sprintf("schedules[%d].place", i), "Choose one of the places above, or none")
			}
		}
		a.Schedules = append(a.Schedules, sc)
		out.schedules = append(out.schedules, i)
	}
	for i, c := range f.Contacts {
		if c.Blank() || c.Remove {
			continue
		}
		a.Contacts = append(a.Contacts, linkwork.AssetContact{ID: keptID(c.ID, base.Contacts, func(x linkwork.AssetContact) string { return x.ID }),
			Name: c.Name, Title: c.Title, Email: c.Email, Phone: c.Phone})
		out.contacts = append(out.contacts, i)
	}
	for i, c := range f.Costs {
		if c.Blank() || c.Remove {
			continue
		}
		o := linkwork.CostOption{ID: keptID(c.ID, base.CostOptions, func(x linkwork.CostOption) string { return x.ID }), Option: c.Option, AmountDescription: c.Description}
		if c.Amount != "" {
			pence, ok := parsePounds(c.Amount)
			if !ok {
				p.Add(fmt.Sprintf("cost_options[%d].amount", i), "Enter the amount in pounds, like 2.50, or 0 when it is free")
			} else {
				o.Amount = &pence
			}
		}
		a.CostOptions = append(a.CostOptions, o)
		out.costs = append(out.costs, i)
	}
	// Say everything that is wrong at once: the listing's own checks too,
	// on it tidied as the store will tidy it.
	probe := a.Normalised()
	for _, e := range linkwork.ErrorFields(probe.Validate()) {
		e.Field = out.formField(e.Field)
		if !p.Has(e.Field) {
			p = append(p, e)
		}
	}
	return out, p
}

// placeable says what is wrong with a place's postcode when the store
// could not put it on the map (neither the loaded postcode table nor the
// district table has it), or "". The store places it, and would refuse it
// too; checking here shows it with the form's other problems at once. A
// postcode that is not one is left to Validate.
func placeable(postcode string, find postcodeFinder) string {
	pc, err := linkwork.ParsePostcode(postcode)
	if err != nil {
		return ""
	}
	if _, ok := ukpostcode.Lookup(pc.Outward); ok {
		return ""
	}
	if pc.Inward != "" && find != nil {
		if _, ok := find(pc.String()); ok {
			return ""
		}
	}
	return "We cannot find the postcode " + pc.String() + ". Check it, or make this an online place"
}

// keptID is id when the listing already has a row with it, else "" (a
// new row): a form cannot claim another listing's rows.
func keptID[T any](id string, rows []T, idOf func(T) string) string {
	for _, r := range rows {
		if id != "" && idOf(r) == id {
			return id
		}
	}
	return ""
}

var rowFieldRe = regexp.MustCompile(`^(locations|schedules|contacts|cost_options)\[(\d+)\](.*)$`)

// formField turns a problem's field in the listing into the form's: the
// row's place in the form, and the form's name for what the form asks in
// other terms.
func (ap *applied) formField(field string) string {
	m := rowFieldRe.FindStringSubmatch(field)
	if m == nil {
		return field
	}
	n, _ := strconv.Atoi(m[2])
	rows := map[string][]int{"locations": ap.places, "schedules": ap.schedules, "contacts": ap.contacts, "cost_options": ap.costs}[m[1]]
	if n < len(rows) {
		n = rows[n]
	}
	rest := m[3]
	switch m[1] + rest {
	case "schedules.byday", "schedules.freq":
		rest = ".days"
	case "schedules.location_id":
		rest = ".place"
	case "locations":
		rest = ".postal_code" // coordinates out of range: the postcode placed it
	}
	return fmt.Sprintf("%s[%d]%s", m[1], n, rest)
}

// formProblems names a service's problems by the form's fields.
func (ap *applied) formProblems(err error) linkwork.Problems {
	var p linkwork.Problems
	for _, e := range linkwork.ErrorFields(err) {
		e.Field = ap.formField(e.Field)
		p = append(p, e)
	}
	return p
}

// splitList reads a list typed with commas or on separate lines.
func splitList(s string) []string {
	var out []string
	for _, x := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == ';' }) {
		if x = strings.TrimSpace(x); x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// parsePounds reads "2.50", "£2.5" or "3" as pence: digits only (no
// sign), and few enough that the pence cannot overflow; how much a cost
// may be is Asset.Validate's to say.
func parsePounds(s string) (int, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "£")
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 || whole == "" && frac == "" || len(whole) > 12 || !digits(whole) || !digits(frac) {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err1 := strconv.Atoi(orZero(whole))
	c, err2 := strconv.Atoi(frac)
	if err1 != nil || err2 != nil || w < 0 || c < 0 {
		return 0, false
	}
	return w*100 + c, true
}

// digits reports whether s is only the digits 0 to 9 (or empty).
func digits(s string) bool {
	return strings.Trim(s, "0123456789") == ""
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}
