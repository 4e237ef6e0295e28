package orukio

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/csvsafe"
	"github.com/linkwork/linkwork/oruk"
)

// The directory CSV: one row per listing, which a council officer can
// open and edit in a spreadsheet. The header row names the columns, which
// may come in any order. First come the listing's own columns
// (CSVColumns); then, numbered from 1, one group of columns for each of
// its places (LocationColumns: location_1_type, location_1_name, …,
// location_2_type, …) and one for each of its cost options (CostColumns:
// cost_1_option, cost_1_pence, …). An export has as many groups as the
// listing with the most places (or costs) needs, and at least one; a row
// leaves the groups it does not need blank. To add a place, fill in the
// next group, adding its columns to the header when no listing had that
// many; a group left wholly blank is ignored.
//
// A session (in schedules) may say where it happens with "@N", the number
// of its location group: "WEEKLY SA 10:00-12:00 @2" is at location_2.
//
// Files in the earlier one-place layout still import: its columns
// (LegacyCSVColumns: postcode, online, cost_pence, …) are read as one
// more place, online location and cost, ahead of any numbered groups.
//
// A cell a spreadsheet would run as a formula (one starting with =, +, -,
// @, a tab or a carriage return that is not just a number) is written
// with an apostrophe before it, and the apostrophe is taken off again on
// import (package csvsafe), so an export imports back unchanged.
//
// Importing a file is all or nothing: every row is read and checked
// first (as the store would check it), and if any is
// wrong the import stops before saving anything, naming each wrong row by
// its line and column, e.g. `line 4, column location_2_postcode: "LS99"
// is not a UK postcode`. The rows are then saved in one transaction, so a
// row the store still refuses when it comes to save it (a postcode in no
// lookup, an organisation's name taken) undoes the rows before it: the
// file imports whole or not at all. Importing the same file again updates,
// never duplicates: listings are matched by id (or, with a blank id, by
// name and organisation), and a place or cost that is unchanged keeps its
// id, so its service-at-location id stays the same too.

// CSVColumns are the listing's own columns. Lists within a cell are
// separated by ";".
//
//	id               the service's UUID (blank: one is made from the name and organisation; any other text: a stable UUID made from it)
//	name             required
//	organisation     the organisation's name (matched by name; created when new)
//	description
//	url, email, phone
//	status           active, inactive, defunct or temporarily closed (blank: active)
//	categories       ";"-separated: creative, social, indoor, self_care, sports, vocational_educational, wellbeing_support
//	how_to_join      drop_in, self_refer, referral_required or via_link_worker (blank: self_refer)
//	capacity         accepting, waiting_list, full or closed (blank: accepting)
//	minimum_age, maximum_age   whole years; blank for no limit
//	schedules        ";"-separated sessions "FREQ BYDAY HH:MM-HH:MM [@N]", e.g. "WEEKLY SA 10:00-12:00 @1; MONTHLY 1MO 18:00-19:30"
//	languages, service_areas   ";"-separated
//	accessibility
//	youth_friendly, buddy_welcome   yes or no
var CSVColumns = []string{"id", "name", "organisation", "description", "url", "email", "phone", "status", "categories",
	"how_to_join", "capacity", "minimum_age", "maximum_age", "schedules",
	"languages", "service_areas", "accessibility", "youth_friendly", "buddy_welcome"}

// LocationColumns are the columns of each place, location_N_type and so
// on, N counting from 1. A listing needs at least one place.
//
//	type             physical or online (blank: online when there is a url and no postcode, else physical)
//	name             the place's name, or the online service's ("Zoom"; blank: Online)
//	address_1, city, county, postcode   a physical place's address; the postcode is required
//	latitude, longitude   a physical place's point in WGS84 degrees (blank: the centre of its postcode district); clear them when the postcode changes
//	url              an online location's web address, https://…
var LocationColumns = []string{"type", "name", "address_1", "city", "county", "postcode", "latitude", "longitude", "url"}

// CostColumns are the columns of each cost option, cost_N_option and so
// on, N counting from 1.
//
//	option           what or whom it is for: "Per session", "Under-16s"
//	pence            the amount in pence; 0 is free; blank when it is only described
//	description      "£2; free for anyone on free school meals"
var CostColumns = []string{"option", "pence", "description"}

// LegacyCSVColumns are the columns of the earlier layout, which held one
// place, one online location and one cost; files with them still import.
var LegacyCSVColumns = []string{"cost_pence", "cost_description", "location_name", "address_1", "city", "county", "postcode", "online", "online_url"}

// LocationColumn is the name of column c of place n (from 1): location_2_postcode.
func LocationColumn(n int, c string) string { return "location_" + strconv.Itoa(n) + "_" + c }

// CostColumn is the name of column c of cost option n (from 1): cost_1_pence.
func CostColumn(n int, c string) string { return "cost_" + strconv.Itoa(n) + "_" + c }

// CSVHeader is the header of an export whose widest rows have the given
// numbers of places and cost options (at least one group of each).
func CSVHeader(places, costs int) []string {
	out := slices.Clone(CSVColumns)
	for n := 1; n <= max(places, 1); n++ {
		for _, c := range LocationColumns {
			out = append(out, LocationColumn(n, c))
		}
	}
	for n := 1; n <= max(costs, 1); n++ {
		for _, c := range CostColumns {
			out = append(out, CostColumn(n, c))
		}
	}
	return out
}

// WriteCSV writes every listing, in order of name, as a row of the
// directory CSV with every place and every cost option.
func WriteCSV(ctx context.Context, st Store, w io.Writer) error {
	assets, err := All(ctx, st.Assets)
	if err != nil {
		return err
	}
	places, costs := 0, 0
	for _, a := range assets {
		places, costs = max(places, len(a.Locations)), max(costs, len(a.CostOptions))
	}
	header := CSVHeader(places, costs)
	// A cell a spreadsheet would run as a formula (a name =HYPERLINK(…),
	// a phone +SUM(…)) is written as text; ReadCSV restores it.
	cw := csvsafe.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	orgs := map[string]*linkwork.Organisation{}
	for _, a := range assets {
		o, err := st.orgOf(ctx, a, orgs)
		if err != nil {
			return err
		}
		if err := cw.Write(csvRow(a, o, header)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvRow(a *linkwork.Asset, o *linkwork.Organisation, header []string) []string {
	row := map[string]string{
		"id": a.ID, "name": a.Name, "description": a.Description, "url": a.URL, "email": a.Email, "phone": a.Phone,
		"status": string(a.Status), "how_to_join": string(a.HowToJoin), "capacity": string(a.Capacity.Status),
		"accessibility": a.Accessibility, "youth_friendly": yesNo(a.YouthFriendly), "buddy_welcome": yesNo(a.BuddyWelcome),
		"languages": strings.Join(a.Languages, "; "), "service_areas": strings.Join(a.ServiceAreas, "; "),
	}
	if o != nil {
		row["organisation"] = o.Name
	}
	var cats []string
	for _, c := range a.Categories {
		cats = append(cats, string(c))
	}
	row["categories"] = strings.Join(cats, "; ")
	if a.MinAge > 0 {
		row["minimum_age"] = strconv.Itoa(a.MinAge)
	}
	if a.MaxAge > 0 {
		row["maximum_age"] = strconv.Itoa(a.MaxAge)
	}
	for i, c := range a.CostOptions {
		n := i + 1
		row[CostColumn(n, "option")], row[CostColumn(n, "description")] = c.Option, c.AmountDescription
		if c.Amount != nil {
			row[CostColumn(n, "pence")] = strconv.Itoa(*c.Amount)
		}
	}
	for i, l := range a.Locations {
		col := func(c string) string { return LocationColumn(i+1, c) }
		row[col("name")] = l.Name
		if l.Physical() {
			row[col("type")] = "physical"
			row[col("address_1")], row[col("city")], row[col("county")], row[col("postcode")] = l.Address1, l.City, l.StateProvince, l.PostalCode
		} else {
			row[col("type")] = "online"
		}
		row[col("url")] = l.URL
		if l.Lat != 0 || l.Lon != 0 {
			row[col("latitude")], row[col("longitude")] = strconv.FormatFloat(l.Lat, 'f', -1, 64), strconv.FormatFloat(l.Lon, 'f', -1, 64)
		}
	}
	var sessions []string
	for _, s := range a.Schedules {
		x := fmt.Sprintf("%s %s %s-%s", s.Freq, s.ByDay, s.OpensAt, s.ClosesAt)
		if s.LocationID != "" {
			if i := slices.IndexFunc(a.Locations, func(l linkwork.Location) bool { return l.ID == s.LocationID }); i >= 0 {
				x += " @" + strconv.Itoa(i+1)
			}
		}
		sessions = append(sessions, x)
	}
	row["schedules"] = strings.Join(sessions, "; ")
	out := make([]string, len(header))
	for i, c := range header {
		out[i] = row[c]
	}
	return out
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// groupRe matches the numbered columns: location_2_postcode, cost_1_pence.
var groupRe = regexp.MustCompile(`^(location|cost)_([1-9][0-9]{0,2})_([a-z_0-9]+)$`)

// knownColumn reports whether h is a column of the CSV, in either layout.
func knownColumn(h string) bool {
	if slices.Contains(CSVColumns, h) || slices.Contains(LegacyCSVColumns, h) {
		return true
	}
	m := groupRe.FindStringSubmatch(h)
	if m == nil {
		return false
	}
	if m[1] == "location" {
		return slices.Contains(LocationColumns, m[3])
	}
	return slices.Contains(CostColumns, m[3])
}

// maxRowErrors is how many wrong rows a refused import names.
const maxRowErrors = 20

// ReadCSV reads the directory CSV (the header row first; columns may come
// in any order, and unknown ones are an error), and checks every row as the
// store would. If any row is wrong it returns no rows and an error naming
// each wrong row (up to 20) by its line and column.
func ReadCSV(r io.Reader) ([]Imported, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("line 1: the file is empty: it needs a header row of %s", strings.Join(CSVHeader(1, 1), ","))
		}
		return nil, err
	}
	col := map[string]int{}
	locs, costs := map[int]bool{}, map[int]bool{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if !knownColumn(h) {
			return nil, fmt.Errorf("line 1: %q is not a column; the columns are %s, then %s, … for each place and %s, … for each cost option (or the one-place layout's %s)",
				h, strings.Join(CSVColumns, ","), strings.Join(groupColumns(LocationColumn, LocationColumns), ","), strings.Join(groupColumns(CostColumn, CostColumns), ","), strings.Join(LegacyCSVColumns, ","))
		}
		if _, dup := col[h]; dup {
			return nil, fmt.Errorf("line 1: the column %s comes twice", h)
		}
		col[h] = i
		if m := groupRe.FindStringSubmatch(h); m != nil {
			n, _ := strconv.Atoi(m[2])
			if m[1] == "location" {
				locs[n] = true
			} else {
				costs[n] = true
			}
		}
	}
	if _, ok := col["name"]; !ok {
		return nil, fmt.Errorf("line 1: there is no name column")
	}
	layout := csvLayout{col: col, locations: sortedKeys(locs), costs: sortedKeys(costs)}
	var out []Imported
	var errs []error
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		if len(errs) >= maxRowErrors {
			continue
		}
		imp, field, err := layout.imported(rec)
		if err != nil {
			errs = append(errs, fmt.Errorf("line %d, column %s: %v", line, field, err))
			if len(errs) == maxRowErrors {
				errs = append(errs, fmt.Errorf("(stopped checking after %d wrong rows)", maxRowErrors))
			}
			continue
		}
		imp.origin.line = line
		out = append(out, imp)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

func groupColumns(name func(int, string) string, cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = name(1, c)
	}
	return out
}

func sortedKeys(m map[int]bool) []int {
	var out []int
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// csvLayout is where a file's columns are.
type csvLayout struct {
	col       map[string]int
	locations []int // the numbers of its location groups, in order
	costs     []int // and of its cost groups
}

// source names the columns a place or cost option came from, so that the
// store's checks can be reported against them.
type source struct{ cols map[string]string }

func (s source) column(field, fallback string) string {
	if c, ok := s.cols[field]; ok {
		return c
	}
	return s.cols[fallback]
}

func (lay csvLayout) imported(rec []string) (Imported, string, error) {
	get := func(c string) string {
		if i, ok := lay.col[c]; ok && i < len(rec) {
			return csvsafe.Restore(strings.TrimSpace(rec[i]))
		}
		return ""
	}
	a := &linkwork.Asset{
		Name: get("name"), Description: get("description"), URL: get("url"), Email: get("email"), Phone: get("phone"),
		Status: linkwork.AssetStatus(or(get("status"), "active")), HowToJoin: linkwork.HowToJoin(or(get("how_to_join"), "self_refer")),
		Capacity:      linkwork.Capacity{Status: linkwork.CapacityStatus(or(get("capacity"), "accepting"))},
		Accessibility: get("accessibility"), Languages: list(get("languages")), ServiceAreas: list(get("service_areas")),
	}
	if a.Name == "" {
		return Imported{}, "name", fmt.Errorf("a service needs a name")
	}
	if id := get("id"); id != "" {
		a.ID = ID("service", id)
	} else {
		a.ID = derive("csv_service", a.Name, get("organisation"))
	}
	switch a.Status {
	case linkwork.AssetActive, linkwork.AssetInactive, linkwork.AssetDefunct, linkwork.AssetTempClosed:
	default:
		return Imported{}, "status", fmt.Errorf("%q is not active, inactive, defunct or temporarily closed", a.Status)
	}
	if !a.HowToJoin.Valid() {
		return Imported{}, "how_to_join", fmt.Errorf("%q is not drop_in, self_refer, referral_required or via_link_worker", a.HowToJoin)
	}
	if !a.Capacity.Status.Valid() {
		return Imported{}, "capacity", fmt.Errorf("%q is not accepting, waiting_list, full or closed", a.Capacity.Status)
	}
	for _, c := range list(get("categories")) {
		if !linkwork.Category(c).Valid() {
			return Imported{}, "categories", fmt.Errorf("%q is not a category", c)
		}
		a.Categories = append(a.Categories, linkwork.Category(c))
	}
	if len(a.Categories) == 0 {
		return Imported{}, "categories", fmt.Errorf("give at least one category")
	}
	var err error
	for _, p := range []struct {
		col string
		dst *int
	}{{"minimum_age", &a.MinAge}, {"maximum_age", &a.MaxAge}} {
		if x := get(p.col); x != "" {
			if *p.dst, err = strconv.Atoi(x); err != nil || *p.dst < 0 || *p.dst > linkwork.MaxAge {
				return Imported{}, p.col, fmt.Errorf("%q is not an age from 0 to 120", x)
			}
		}
	}
	if a.MaxAge != 0 && a.MinAge > a.MaxAge {
		return Imported{}, "maximum_age", fmt.Errorf("%d is below the minimum age, %d", a.MaxAge, a.MinAge)
	}

	// Cost options: the one-place layout's, then the numbered groups.
	var costSrc []source
	addCost := func(id string, cols map[string]string) (string, error) {
		option, pence, desc := get(cols["option"]), get(cols["pence"]), get(cols["description"])
		if option == "" && pence == "" && desc == "" {
			return "", nil
		}
		c := linkwork.CostOption{ID: id, Option: option, AmountDescription: desc}
		if pence != "" {
			n, err := strconv.Atoi(pence)
			if err != nil || n < 0 {
				return cols["pence"], fmt.Errorf("%q is not a whole number of pence", pence)
			}
			c.Amount = linkwork.Int(n)
		} else if desc == "" {
			return cols["pence"], fmt.Errorf("give the amount in pence (0 when it is free), or describe the cost")
		}
		a.CostOptions = append(a.CostOptions, c)
		costSrc = append(costSrc, source{cols})
		return "", nil
	}
	if field, err := addCost(derive("csv_cost", a.ID), map[string]string{"pence": "cost_pence", "description": "cost_description"}); err != nil {
		return Imported{}, field, err
	}
	for _, n := range lay.costs {
		cols := map[string]string{}
		for _, c := range CostColumns {
			cols[c] = CostColumn(n, c)
		}
		if field, err := addCost(derive("csv_cost", a.ID, strconv.Itoa(n)), cols); err != nil {
			return Imported{}, field, err
		}
	}

	// Places: the one-place layout's place and online location, then the
	// numbered groups. number maps a group's number to its location's id.
	var locSrc []source
	number := map[int]string{}
	if pc := get("postcode"); pc != "" {
		if _, err := linkwork.ParsePostcode(pc); err != nil {
			return Imported{}, "postcode", fmt.Errorf("%q is not a UK postcode", pc)
		}
		a.Locations = append(a.Locations, linkwork.Location{ID: derive("csv_place", a.ID), Type: linkwork.LocationPhysical,
			Name: or(get("location_name"), get("address_1")), Address1: get("address_1"), City: get("city"), StateProvince: get("county"), PostalCode: pc})
		locSrc = append(locSrc, source{map[string]string{"": "postcode", "postal_code": "postcode", "name": "location_name"}})
	}
	switch online := strings.ToLower(get("online")); {
	case online == "yes" || get("online_url") != "":
		a.Locations = append(a.Locations, linkwork.Location{ID: derive("csv_online", a.ID), Type: linkwork.LocationVirtual, Name: "Online", URL: get("online_url")})
		locSrc = append(locSrc, source{map[string]string{"": "online_url"}})
	case online != "" && online != "no":
		return Imported{}, "online", fmt.Errorf("%q is not yes or no", online)
	}
	for _, n := range lay.locations {
		col := func(c string) string { return LocationColumn(n, c) }
		blank := true
		for _, c := range LocationColumns {
			blank = blank && get(col(c)) == ""
		}
		if blank {
			continue
		}
		l := linkwork.Location{ID: derive("csv_location", a.ID, strconv.Itoa(n)), Name: get(col("name")), URL: get(col("url"))}
		pc := get(col("postcode"))
		switch t := strings.ToLower(get(col("type"))); {
		case t == "physical" || t == "place" || (t == "" && (pc != "" || l.URL == "")):
			l.Type = linkwork.LocationPhysical
		case t == "online" || t == "virtual" || t == "":
			l.Type = linkwork.LocationVirtual
		default:
			return Imported{}, col("type"), fmt.Errorf("%q is not physical or online", t)
		}
		if l.Physical() {
			l.Address1, l.City, l.StateProvince, l.PostalCode = get(col("address_1")), get(col("city")), get(col("county")), pc
			if pc == "" {
				return Imported{}, col("postcode"), fmt.Errorf("give the postcode where it happens (or make location_%d_type online)", n)
			}
			if _, err := linkwork.ParsePostcode(pc); err != nil {
				return Imported{}, col("postcode"), fmt.Errorf("%q is not a UK postcode", pc)
			}
		} else {
			for _, c := range []string{"address_1", "city", "county", "postcode"} {
				if get(col(c)) != "" {
					return Imported{}, col(c), fmt.Errorf("an online location has no address (make location_%d_type physical)", n)
				}
			}
		}
		lat, lon := get(col("latitude")), get(col("longitude"))
		if (lat == "") != (lon == "") {
			return Imported{}, col("latitude"), fmt.Errorf("give both the latitude and the longitude, or neither")
		}
		if lat != "" {
			if l.Lat, err = strconv.ParseFloat(lat, 64); err != nil || l.Lat < -90 || l.Lat > 90 {
				return Imported{}, col("latitude"), fmt.Errorf("%q is not a latitude in degrees", lat)
			}
			if l.Lon, err = strconv.ParseFloat(lon, 64); err != nil || l.Lon < -180 || l.Lon > 180 {
				return Imported{}, col("longitude"), fmt.Errorf("%q is not a longitude in degrees", lon)
			}
		}
		number[n] = l.ID
		a.Locations = append(a.Locations, l)
		cols := map[string]string{"": col("postcode"), "name": col("name"), "url": col("url"), "type": col("type"), "postal_code": col("postcode")}
		if !l.Physical() {
			cols[""] = col("url")
		}
		locSrc = append(locSrc, source{cols})
	}
	if len(a.Locations) == 0 {
		if len(lay.locations) > 0 {
			return Imported{}, LocationColumn(lay.locations[0], "postcode"), fmt.Errorf("give the postcode where it happens, or make it an online location")
		}
		return Imported{}, "postcode", fmt.Errorf("give the postcode where it happens, or online: yes")
	}

	for _, s := range list(get("schedules")) {
		f := strings.Fields(s)
		sc := linkwork.Schedule{}
		if len(f) == 4 && strings.HasPrefix(f[3], "@") {
			n, err := strconv.Atoi(f[3][1:])
			if err != nil || number[n] == "" {
				return Imported{}, "schedules", fmt.Errorf("%q: there is no location_%s", s, f[3][1:])
			}
			sc.LocationID, f = number[n], f[:3]
		}
		times := []string{}
		if len(f) == 3 {
			times = strings.Split(f[2], "-")
		}
		if len(f) != 3 || len(times) != 2 || !linkwork.ValidClock(times[0]) || !linkwork.ValidClock(times[1]) {
			return Imported{}, "schedules", fmt.Errorf("%q is not a session like \"WEEKLY SA 10:00-12:00\" or, at location_2, \"WEEKLY SA 10:00-12:00 @2\"", s)
		}
		sc.Freq, sc.ByDay, sc.OpensAt, sc.ClosesAt = strings.ToUpper(f[0]), strings.ToUpper(f[1]), times[0], times[1]
		a.Schedules = append(a.Schedules, sc)
	}
	for _, p := range []struct {
		col string
		dst *bool
	}{{"youth_friendly", &a.YouthFriendly}, {"buddy_welcome", &a.BuddyWelcome}} {
		switch x := strings.ToLower(get(p.col)); x {
		case "yes", "true", "y":
			*p.dst = true
		case "", "no", "false", "n":
		default:
			return Imported{}, p.col, fmt.Errorf("%q is not yes or no", x)
		}
	}
	a.AssuredAt = time.Time{}
	if field, err := checkAsset(a, locSrc, costSrc); err != nil {
		return Imported{}, field, err
	}
	out := Imported{Asset: a, FromCSV: true, origin: &csvOrigin{locs: locSrc, costs: costSrc}}
	if o := get("organisation"); o != "" {
		out.Org = &oruk.Organization{Name: o}
	}
	return out, "", nil
}

// fieldRe splits a store field name: locations[1].postal_code.
var fieldRe = regexp.MustCompile(`^(locations|cost_options|schedules)\[(\d+)\](?:\.(.+))?$`)

// checkAsset runs the store's checks on a copy of a, and names the column
// of the first problem.
func checkAsset(a *linkwork.Asset, locs, costs []source) (string, error) {
	c := *a
	c.Locations, c.Schedules, c.CostOptions = slices.Clone(a.Locations), slices.Clone(a.Schedules), slices.Clone(a.CostOptions)
	c.Categories, c.Languages, c.ServiceAreas = slices.Clone(a.Categories), slices.Clone(a.Languages), slices.Clone(a.ServiceAreas)
	err := c.Validate()
	if err == nil {
		return "", nil
	}
	fs := linkwork.ErrorFields(err)
	if len(fs) == 0 {
		return "", err
	}
	return csvOrigin{locs: locs, costs: costs}.column(fs[0].Field), errors.New(fs[0].Message)
}

// csvOrigin is where in the file a row came from: its line, and the
// columns of each of its places and cost options, so that a problem the
// store finds with a field can be reported against its column.
type csvOrigin struct {
	line        int
	locs, costs []source
}

// column is the column of the store's field.
func (o csvOrigin) column(field string) string {
	switch field {
	case "min_age":
		return "minimum_age"
	case "capacity.status":
		return "capacity"
	}
	if m := fieldRe.FindStringSubmatch(field); m != nil {
		i, _ := strconv.Atoi(m[2])
		switch {
		case m[1] == "locations" && i < len(o.locs):
			return o.locs[i].column(m[3], "")
		case m[1] == "cost_options" && i < len(o.costs):
			return o.costs[i].column(m[3], "pence")
		case m[1] == "schedules":
			return "schedules"
		}
	}
	return field
}

// refused says which line and column of the file the store refused, and
// why.
func (o *csvOrigin) refused(row int, err error) error {
	where := fmt.Sprintf("row %d", row)
	if o != nil && o.line > 0 {
		where = fmt.Sprintf("line %d", o.line)
	}
	var org orgError
	fs := linkwork.ErrorFields(err)
	switch {
	case errors.As(err, &org):
		return fmt.Errorf("%s, column organisation: %v", where, org.err)
	case len(fs) == 0 || o == nil:
		return fmt.Errorf("%s: %w", where, err)
	}
	var parts []string
	for _, f := range fs {
		parts = append(parts, "column "+o.column(f.Field)+": "+f.Message)
	}
	return fmt.Errorf("%s, %s", where, strings.Join(parts, "; "))
}

func or(x, y string) string {
	if x != "" {
		return x
	}
	return y
}

func list(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ";") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// ImportCSV saves the rows read by ReadCSV, as Import saves a feed, but
// all of them or none: in one transaction (Store.Atomically), so that if
// the store refuses any row (a postcode in no lookup, say) nothing in the
// file is saved, and the error names each refused row (up to 20) by its
// line and column. A listing already stored keeps the ids of its places
// and cost options that the file leaves as they were.
func ImportCSV(ctx context.Context, st Store, rows []Imported) (Result, error) {
	if st.Atomically == nil {
		return Result{}, errors.New("orukio: ImportCSV needs a store that saves atomically")
	}
	var res Result
	err := st.Atomically(ctx, func(ctx context.Context) error {
		res = Result{}
		var errs []error
		for i, imp := range rows {
			old, err := st.Assets.FindAssetByID(ctx, imp.Asset.ID)
			switch {
			case err == nil:
				keepCSVIDs(imp.Asset, old)
			case linkwork.ErrorCode(err) != linkwork.ENOTFOUND:
				return imp.origin.refused(i+1, err)
			}
			if err := st.Save(ctx, imp, &res); err != nil {
				if !isFieldError(err) {
					return imp.origin.refused(i+1, err)
				}
				if errs = append(errs, imp.origin.refused(i+1, err)); len(errs) == maxRowErrors {
					errs = append(errs, fmt.Errorf("(stopped after %d wrong rows)", maxRowErrors))
					break
				}
			}
		}
		return errors.Join(errs...)
	})
	if err != nil {
		return Result{}, err
	}
	return res, nil
}

// keepCSVIDs gives a's places and cost options the ids of old's that are
// the same (the CSV carries no ids for them): first those that match in
// every column, then those in the same position of the same kind.
func keepCSVIDs(a, old *linkwork.Asset) {
	same := func(x, y linkwork.Location) bool {
		if x.Type != y.Type || x.Name != y.Name || x.URL != y.URL {
			return false
		}
		if !x.Physical() {
			return true
		}
		px, errx := linkwork.ParsePostcode(x.PostalCode)
		py, erry := linkwork.ParsePostcode(y.PostalCode)
		return errx == nil && erry == nil && px == py && x.Address1 == y.Address1 && x.City == y.City && x.StateProvince == y.StateProvince
	}
	ids := make([]string, len(a.Locations))
	used := map[string]bool{}
	for pass := range 2 {
		for i, l := range a.Locations {
			if ids[i] != "" {
				continue
			}
			for j, o := range old.Locations {
				if !used[o.ID] && (pass == 0 && same(l, o) || pass == 1 && i == j && l.Type == o.Type) {
					ids[i], used[o.ID] = o.ID, true
					break
				}
			}
		}
	}
	for i, id := range ids {
		if id == "" {
			// A new place: its id, made from its number, may be one an
			// old place that moved has taken.
			if !used[a.Locations[i].ID] {
				continue
			}
			id = derive("csv_location_moved", a.Locations[i].ID)
		}
		for j := range a.Schedules {
			if a.Schedules[j].LocationID == a.Locations[i].ID {
				a.Schedules[j].LocationID = id
			}
		}
		a.Locations[i].ID = id
	}
	sameCost := func(x, y linkwork.CostOption) bool {
		return x.Option == y.Option && x.AmountDescription == y.AmountDescription && (x.Amount == nil) == (y.Amount == nil) && (x.Amount == nil || *x.Amount == *y.Amount)
	}
	costIDs := make([]string, len(a.CostOptions))
	usedCost := map[string]bool{}
	for pass := range 2 {
		for i, c := range a.CostOptions {
			if costIDs[i] != "" {
				continue
			}
			for j, o := range old.CostOptions {
				if !usedCost[o.ID] && (pass == 0 && sameCost(c, o) || pass == 1 && i == j) {
					costIDs[i], usedCost[o.ID] = o.ID, true
					break
				}
			}
		}
	}
	for i, id := range costIDs {
		switch {
		case id != "":
			a.CostOptions[i].ID = id
		case usedCost[a.CostOptions[i].ID]:
			a.CostOptions[i].ID = derive("csv_cost_moved", a.CostOptions[i].ID)
		}
	}
}
