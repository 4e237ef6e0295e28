package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
	"github.com/linkwork/linkwork/ukpostcode"
)

// directoryQuery is a directory search as the page's form and the API's
// query string give it: the same parameters in both.
type directoryQuery struct {
	Query     string // q
	Category  string
	Age       string
	Free      bool
	Accepting bool
	Youth     bool   // youth_friendly
	Buddy     bool   // buddy_welcome
	HowToJoin string // how_to_join
	Day       string
	Time      string
	Mode      string
	Postcode  string
	Lat, Lon  string
	RadiusKm  string // radius_km
	Sort      string
}

// radiusChoices are the page's radius options, in kilometres.
var radiusChoices = []string{"1", "2", "5", "10", "25", "50"}

// defaultRadiusKm is the radius a search near a postcode uses when none is
// given.
const defaultRadiusKm = linkwork.DefaultRadius / 1000

func readDirectoryQuery(q url.Values) directoryQuery {
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	return directoryQuery{Query: get("q"), Category: get("category"), Age: get("age"), Free: get("free") == "true", Accepting: get("accepting") == "true",
		Youth: get("youth_friendly") == "true", Buddy: get("buddy_welcome") == "true", HowToJoin: get("how_to_join"), Day: get("day"), Time: get("time"), Mode: get("mode"), Postcode: get("postcode"),
		Lat: get("lat"), Lon: get("lon"), RadiusKm: get("radius_km"), Sort: get("sort")}
}

// values is the query as a query string, without empty parameters.
func (d directoryQuery) values() url.Values {
	v := url.Values{}
	for k, x := range map[string]string{"q": d.Query, "category": d.Category, "age": d.Age, "how_to_join": d.HowToJoin, "day": d.Day, "time": d.Time,
		"mode": d.Mode, "postcode": d.Postcode, "lat": d.Lat, "lon": d.Lon, "radius_km": d.RadiusKm, "sort": d.Sort} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if d.Free {
		v.Set("free", "true")
	}
	if d.Accepting {
		v.Set("accepting", "true")
	}
	if d.Youth {
		v.Set("youth_friendly", "true")
	}
	if d.Buddy {
		v.Set("buddy_welcome", "true")
	}
	return v
}

// narrowed reports whether the search uses any of the "Narrow it down"
// filters (or a sort order), which the page then shows open.
func (d directoryQuery) narrowed() bool {
	return d.Category != "" || d.Age != "" || d.Day != "" || d.Time != "" || d.Mode != "" || d.HowToJoin != "" || d.Sort != "" ||
		d.Free || d.Accepting || d.Youth || d.Buddy
}

// suggestion is a change to a search that found nothing, as a link that
// makes it.
type suggestion struct {
	Text, Href string
}

// suggestions are what to try when a search finds nothing: fewer words, a
// wider distance, no filters, each a link that does so.
func (d directoryQuery) suggestions() []suggestion {
	href := func(e directoryQuery) string { return "/directory?" + e.values().Encode() }
	var out []suggestion
	if words := strings.Fields(d.Query); len(words) > 1 {
		e := d
		e.Query = strings.Join(words[:len(words)-1], " ")
		out = append(out, suggestion{Text: "Use fewer words: search for “" + e.Query + "”", Href: href(e)})
	} else if len(words) == 1 && (d.Postcode != "" || d.narrowed()) {
		e := d
		e.Query = ""
		out = append(out, suggestion{Text: "Search without the words “" + d.Query + "”", Href: href(e)})
	}
	if d.Postcode != "" || d.Lat != "" {
		km, _ := strconv.ParseFloat(d.RadiusKm, 64)
		for _, c := range radiusChoices {
			if n, _ := strconv.ParseFloat(c, 64); n > km && n >= 10 {
				e := d
				e.RadiusKm = c
				out = append(out, suggestion{Text: "Look further away: within " + c + " km", Href: href(e)})
				break
			}
		}
	}
	if d.narrowed() {
		e := directoryQuery{Query: d.Query, Postcode: d.Postcode, Lat: d.Lat, Lon: d.Lon, RadiusKm: d.RadiusKm}
		out = append(out, suggestion{Text: "Remove the filters under “Narrow it down”", Href: href(e)})
	}
	return out
}

// directoryFilter turns a search into a filter, naming each parameter it
// cannot read: the page and the API share it. A postcode becomes the
// centre of its district (ukpostcode); so does a point given as lat and
// lon.
func directoryFilter(q url.Values) (linkwork.AssetFilter, directoryQuery, linkwork.Problems) {
	d := readDirectoryQuery(q)
	var p linkwork.Problems
	f := linkwork.AssetFilter{Query: d.Query, FreeOnly: d.Free, Accepting: d.Accepting, Day: d.Day, Time: d.Time,
		YouthFriendly: d.Youth, BuddyWelcome: d.Buddy, HowToJoin: linkwork.HowToJoin(d.HowToJoin), Mode: linkwork.AttendMode(d.Mode), Sort: linkwork.AssetSort(d.Sort)}
	for _, b := range []string{"free", "accepting", "youth_friendly", "buddy_welcome"} {
		if v := q.Get(b); v != "" && v != "true" && v != "false" {
			p.Add(b, "must be true or false")
		}
	}
	if d.Category != "" {
		if !linkwork.Category(d.Category).Valid() {
			p.Addf("category", "%q is not a category", d.Category)
		}
		f.Category = linkwork.Category(d.Category)
	}
	if d.Age != "" {
		n, err := parseInt(d.Age)
		if err != nil || n < 0 || n > linkwork.MaxAge {
			p.Add("age", "Enter an age as a whole number from 0 to 120, like 15")
		}
		f.Age = n
	}
	if d.HowToJoin != "" && !f.HowToJoin.Valid() {
		p.Addf("how_to_join", "%q is not a way to join", d.HowToJoin)
	}
	if d.Day != "" && linkwork.WeekdayName(d.Day) == "" {
		p.Add("day", "Choose a day, MO to SU")
	}
	if d.Time != "" && !linkwork.ValidClock(d.Time) {
		p.Add("time", "Enter a time as 24-hour hours and minutes, like 18:30")
	}
	switch f.Mode {
	case linkwork.AttendAny, linkwork.AttendOnline, linkwork.AttendInPerson:
	default:
		p.Add("mode", "must be online or in_person")
	}
	switch f.Sort {
	case linkwork.SortDefault, linkwork.SortRelevance, linkwork.SortDistance, linkwork.SortName:
	default:
		p.Add("sort", "must be relevance, distance or name")
	}
	switch {
	case d.Postcode != "":
		pt, where, err := postcodePoint(d.Postcode)
		if err != nil {
			p = append(p, linkwork.ErrorFields(err)...)
		} else {
			f.Near, d.Postcode = pt, where
		}
	case d.Lat != "" || d.Lon != "":
		lat, err1 := strconv.ParseFloat(d.Lat, 64)
		lon, err2 := strconv.ParseFloat(d.Lon, 64)
		if err1 != nil || lat < -90 || lat > 90 || math.IsNaN(lat) {
			p.Add("lat", "must be a latitude in degrees, from -90 to 90, with lon")
		}
		if err2 != nil || lon < -180 || lon > 180 || math.IsNaN(lon) {
			p.Add("lon", "must be a longitude in degrees, from -180 to 180, with lat")
		}
		f.Near = &linkwork.Point{Lat: lat, Lon: lon}
	}
	if d.RadiusKm != "" {
		km, err := strconv.ParseFloat(d.RadiusKm, 64)
		if err != nil || km <= 0 || km > linkwork.MaxRadius/1000 || math.IsNaN(km) {
			p.Addf("radius_km", "Enter a distance in kilometres, more than 0 and up to %d", linkwork.MaxRadius/1000)
		} else {
			f.Radius = km * 1000
		}
	}
	if f.Sort == linkwork.SortDistance && (f.Near == nil || f.Mode == linkwork.AttendOnline) && !p.Has("postcode") {
		p.Add("sort", "To sort by distance, enter a postcode and look for activities in person")
	}
	return f, d, p
}

// postcodePoint returns the centre of the postcode's district and the
// postcode as people write it, or EINVALID naming postcode.
func postcodePoint(s string) (*linkwork.Point, string, error) {
	bad := func(msg string) error {
		return linkwork.FieldErr("postcode", msg)
	}
	pc, err := linkwork.ParsePostcode(s)
	if err != nil {
		return nil, "", bad("Enter a real UK postcode, like LS1 4AP, or the first part of one, like LS1")
	}
	d, ok := ukpostcode.Lookup(pc.Outward)
	if !ok {
		return nil, "", bad(fmt.Sprintf("We cannot find %s. Check the postcode, or try the first part of one nearby", pc))
	}
	return &linkwork.Point{Lat: d.Lat, Lon: d.Lon}, pc.String(), nil
}

type directoryPage struct {
	Layout
	Form        directoryQuery
	Matches     []*linkwork.AssetMatch
	Categories  []option
	Radii       []option
	Joins       []option
	Days        []option
	Modes       []option
	Sorts       []option
	Pager       pager
	Now         time.Time
	Attribution string // the postcode data's licence notice, when a postcode was used
	// Narrowed opens the "Narrow it down" filters, when one is in use.
	Narrowed bool
	// Suggestions say what to try when nothing was found.
	Suggestions []suggestion
	// MoreThan, when not 0, is what the search counted up to: more than
	// that many match (linkwork.DirectoryCountUpTo).
	MoreThan int
}

// directoryPage is the community directory: search by words, place,
// category, age, cost, day and time, and more. It needs no sign-in and
// shows nothing about people.
func (s *Server) directoryPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	pg := pageNumber(q.Get("page"))
	f, d, problems := s.searchFilter(r)
	f.Offset, f.Limit, f.CountUpTo = (pg-1)*listSize, listSize, linkwork.DirectoryCountUpTo
	p := &directoryPage{Layout: Layout{Title: "Community directory", Errors: problems}, Form: d, Now: s.cfg.Now(), Narrowed: d.narrowed()}
	if d.RadiusKm == "" {
		p.Form.RadiusKm = strconv.Itoa(defaultRadiusKm)
	}
	p.Categories = []option{{Value: "", Label: "Any category", Selected: d.Category == ""}}
	for _, c := range linkwork.Categories {
		p.Categories = append(p.Categories, option{Value: string(c), Label: c.Label(), Selected: d.Category == string(c)})
	}
	for _, km := range radiusChoices {
		p.Radii = append(p.Radii, option{Value: km, Label: "within " + km + " km", Selected: p.Form.RadiusKm == km})
	}
	p.Joins = []option{{Value: "", Label: "Any way", Selected: d.HowToJoin == ""}}
	for _, h := range linkwork.HowToJoins {
		p.Joins = append(p.Joins, option{Value: string(h), Label: h.Label(), Selected: d.HowToJoin == string(h)})
	}
	p.Days = []option{{Value: "", Label: "Any day", Selected: d.Day == ""}}
	for _, day := range linkwork.Weekdays {
		p.Days = append(p.Days, option{Value: day, Label: linkwork.WeekdayName(day), Selected: d.Day == day})
	}
	p.Modes = []option{{Value: "", Label: "In person or online", Selected: d.Mode == ""}, {Value: string(linkwork.AttendInPerson), Label: "In person", Selected: d.Mode == "in_person"},
		{Value: string(linkwork.AttendOnline), Label: "Online", Selected: d.Mode == "online"}}
	p.Sorts = []option{{Value: "", Label: "Best match", Selected: d.Sort == ""}, {Value: string(linkwork.SortDistance), Label: "Nearest first", Selected: d.Sort == "distance"},
		{Value: string(linkwork.SortName), Label: "Name, A to Z", Selected: d.Sort == "name"}}
	if len(p.Errors) > 0 {
		s.render(w, r, http.StatusUnprocessableEntity, "directory", p)
		return
	}
	list, total, err := s.svc.Assets.FindAssets(r.Context(), f)
	if linkwork.ErrorCode(err) == linkwork.EINVALID {
		p.Errors = linkwork.ErrorFields(err)
		s.render(w, r, http.StatusUnprocessableEntity, "directory", p)
		return
	}
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p.Matches = list
	if total == 0 {
		p.Suggestions = p.Form.suggestions()
	}
	if f.Near != nil && d.Postcode != "" {
		p.Attribution = ukpostcode.Attribution
	}
	p.Pager = newPager(pg, listSize, total, func(n int) string {
		v := d.values()
		v.Set("page", strconv.Itoa(n))
		return "/directory?" + v.Encode()
	})
	if total > f.CountUpTo {
		// Not counted further: how many pages there are is not known.
		p.MoreThan, p.Pager.AtLeast = f.CountUpTo, true
	}
	s.render(w, r, http.StatusOK, "directory", p)
}

type assetPage struct {
	Layout
	Asset   *linkwork.Asset
	OrgName string
	Today   linkwork.Date
	Now     time.Time
	// CanEdit: a coordinator, or a user of the organisation that runs it.
	// CanReport: link workers and coordinators report it out of date.
	CanEdit, CanReport bool
	// Reports are the open reports that it is out of date, for those who
	// may edit or report it.
	Reports []*linkwork.AssetReport
	// Sources are the neighbours' feeds it came from, and when each last
	// said so.
	Sources []*linkwork.FeedSource
}

func (s *Server) assetPage(w http.ResponseWriter, r *http.Request) {
	a, err := s.svc.Assets.FindAssetByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	now := s.cfg.Now()
	p := &assetPage{Layout: Layout{Title: a.Name}, Asset: a, Today: linkwork.DateOf(now.In(ukTime)), Now: now}
	if u := currentUser(r); u != nil {
		p.CanEdit = auth.Can(u.Actor(), auth.ActionUpdate, auth.AssetRecord(a))
		p.CanReport = auth.Can(u.Actor(), auth.ActionReport, auth.AssetRecord(a))
		if (p.CanEdit || p.CanReport) && s.svc.Listings != nil {
			reports, err := s.svc.Listings.FindAssetReports(r.Context(), a.ID)
			if err != nil {
				s.fail(w, r, false, err)
				return
			}
			for _, rep := range reports {
				if !rep.Resolved() {
					p.Reports = append(p.Reports, rep)
				}
			}
		}
	}
	switch r.URL.Query().Get("done") {
	case "saved":
		p.Notice = "Your changes are saved."
	case "added":
		p.Notice = "Your listing is added to the directory."
	case "reported":
		p.Notice = "Thank you: your report is with the directory's curators."
	case "confirmed":
		p.Notice = "Thank you: the listing is marked as checked, next due " + a.VerifyBy.Time().Format("2 January 2006") + "."
	}
	if a.OrgID != "" {
		if o, err := s.svc.Organisations.FindOrganisationByID(linkwork.NewContext(r.Context(), linkwork.SystemActor("directory")), a.OrgID); err == nil {
			p.OrgName = o.Name
		}
	}
	if s.svc.Feeds != nil {
		if p.Sources, err = s.svc.Feeds.SourcesOf(r.Context(), a.ID); err != nil {
			s.fail(w, r, false, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "asset", p)
}

// distanceLabel says how far away something is: "600 m", "1.2 km",
// "14 km".
func distanceLabel(metres float64) string {
	switch {
	case math.Round(metres/50) < 20:
		return fmt.Sprintf("%d m", int(math.Round(metres/50))*50)
	case metres < 9950:
		return fmt.Sprintf("%.1f km", metres/1000)
	}
	return fmt.Sprintf("%d km", int(math.Round(metres/1000)))
}

// checkedLabel says how long ago a listing was checked: "Checked today",
// "Checked 3 weeks ago", "Never checked".
func checkedLabel(at, now time.Time) string {
	if at.IsZero() {
		return "Never checked"
	}
	days := int(linkwork.DateOf(now.In(ukTime)).Time().Sub(linkwork.DateOf(at.In(ukTime)).Time()).Hours() / 24)
	plural := func(n int, unit string) string {
		if n == 1 {
			return "Checked 1 " + unit + " ago"
		}
		return fmt.Sprintf("Checked %d %ss ago", n, unit)
	}
	switch {
	case days <= 0:
		return "Checked today"
	case days == 1:
		return "Checked yesterday"
	case days < 14:
		return plural(days, "day")
	case days < 61:
		return plural(days/7, "week")
	case days < 730:
		return plural(days*12/365, "month")
	}
	return plural(days/365, "year")
}

// costLabel says what a cost option costs (linkwork.CostOption.Label).
func costLabel(c linkwork.CostOption) string { return c.Label() }

// scheduleLabel says when a session runs (linkwork.Schedule.Label).
func scheduleLabel(sc linkwork.Schedule) string { return sc.Label() }

// agesLabel says who an activity is for by age.
func agesLabel(minAge, maxAge int) string {
	switch {
	case minAge > 0 && maxAge > 0:
		return fmt.Sprintf("Ages %d to %d", minAge, maxAge)
	case minAge > 0:
		return fmt.Sprintf("Ages %d and over", minAge)
	case maxAge > 0:
		return fmt.Sprintf("Up to age %d", maxAge)
	}
	return "All ages"
}
