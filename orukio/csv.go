package orukio

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/oruk"
)

// CSVColumns are the columns of linkwork's directory CSV, one row per
// service, in order. Lists within a cell are separated by ";".
//
//	id               the service's UUID (blank: a new one is made; any other text: a stable UUID made from it)
//	name             required
//	organisation     the organisation's name (matched by name; created when new)
//	description
//	url, email, phone
//	status           active, inactive, defunct or temporarily closed (blank: active)
//	categories       ";"-separated: creative, social, indoor, self_care, sports, vocational_educational, wellbeing_support
//	how_to_join      drop_in, self_refer, referral_required or via_link_worker (blank: self_refer)
//	capacity         accepting, waiting_list, full or closed (blank: accepting)
//	minimum_age, maximum_age   whole years; blank for no limit
//	cost_pence       what a session costs in pence (0: free); blank when unknown
//	cost_description
//	location_name, address_1, city, county, postcode   the place it happens
//	online           yes when it can be joined online
//	online_url       where to join online
//	schedules        ";"-separated sessions "FREQ BYDAY HH:MM-HH:MM", e.g. "WEEKLY SA 10:00-12:00; MONTHLY 1MO 18:00-19:30"
//	languages, service_areas   ";"-separated
//	accessibility
//	youth_friendly, buddy_welcome   yes or no
var CSVColumns = []string{"id", "name", "organisation", "description", "url", "email", "phone", "status", "categories",
	"how_to_join", "capacity", "minimum_age", "maximum_age", "cost_pence", "cost_description",
	"location_name", "address_1", "city", "county", "postcode", "online", "online_url", "schedules",
	"languages", "service_areas", "accessibility", "youth_friendly", "buddy_welcome"}

// WriteCSV writes every listing as a row of CSVColumns. Only the first
// place, the first online location and the first cost are written.
func WriteCSV(ctx context.Context, st Store, w io.Writer) error {
	assets, err := All(ctx, st.Assets)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVColumns); err != nil {
		return err
	}
	orgs := map[string]*linkwork.Organisation{}
	for _, a := range assets {
		o, err := st.orgOf(ctx, a, orgs)
		if err != nil {
			return err
		}
		if err := cw.Write(csvRow(a, o)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvRow(a *linkwork.Asset, o *linkwork.Organisation) []string {
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
	if len(a.CostOptions) > 0 {
		c := a.CostOptions[0]
		if c.Amount != nil {
			row["cost_pence"] = strconv.Itoa(*c.Amount)
		}
		row["cost_description"] = c.AmountDescription
	}
	if p := a.Place(); p != nil {
		row["location_name"], row["address_1"], row["city"], row["county"], row["postcode"] = p.Name, p.Address1, p.City, p.StateProvince, p.PostalCode
	}
	for _, l := range a.Locations {
		if !l.Physical() {
			row["online"], row["online_url"] = "yes", l.URL
			break
		}
	}
	var sessions []string
	for _, s := range a.Schedules {
		sessions = append(sessions, fmt.Sprintf("%s %s %s-%s", s.Freq, s.ByDay, s.OpensAt, s.ClosesAt))
	}
	row["schedules"] = strings.Join(sessions, "; ")
	out := make([]string, len(CSVColumns))
	for i, c := range CSVColumns {
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

// ReadCSV reads rows of CSVColumns (the header row first; columns may come
// in any order, and unknown ones are an error). Errors name the line and
// the column.
func ReadCSV(r io.Reader) ([]Imported, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("line 1: the file is empty: it needs a header row of %s", strings.Join(CSVColumns, ","))
		}
		return nil, err
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		known := false
		for _, c := range CSVColumns {
			known = known || c == h
		}
		if !known {
			return nil, fmt.Errorf("line 1: %q is not a column; the columns are %s", h, strings.Join(CSVColumns, ","))
		}
		col[h] = i
	}
	if _, ok := col["name"]; !ok {
		return nil, fmt.Errorf("line 1: there is no name column")
	}
	var out []Imported
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		get := func(c string) string {
			if i, ok := col[c]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		imp, field, err := csvImported(get)
		if err != nil {
			return nil, fmt.Errorf("line %d, column %s: %v", line, field, err)
		}
		out = append(out, imp)
	}
}

func csvImported(get func(string) string) (Imported, string, error) {
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
			if *p.dst, err = strconv.Atoi(x); err != nil || *p.dst < 0 || *p.dst > 120 {
				return Imported{}, p.col, fmt.Errorf("%q is not an age from 0 to 120", x)
			}
		}
	}
	if x, d := get("cost_pence"), get("cost_description"); x != "" || d != "" {
		c := linkwork.CostOption{ID: derive("csv_cost", a.ID), AmountDescription: d}
		if x != "" {
			n, err := strconv.Atoi(x)
			if err != nil || n < 0 {
				return Imported{}, "cost_pence", fmt.Errorf("%q is not a whole number of pence", x)
			}
			c.Amount = linkwork.Int(n)
		}
		a.CostOptions = []linkwork.CostOption{c}
	}
	if pc := get("postcode"); pc != "" {
		if _, err := linkwork.ParsePostcode(pc); err != nil {
			return Imported{}, "postcode", fmt.Errorf("%q is not a UK postcode", pc)
		}
		a.Locations = append(a.Locations, linkwork.Location{ID: derive("csv_place", a.ID), Type: linkwork.LocationPhysical,
			Name: or(get("location_name"), get("address_1")), Address1: get("address_1"), City: get("city"), StateProvince: get("county"), PostalCode: pc})
	}
	switch online := strings.ToLower(get("online")); {
	case online == "yes" || get("online_url") != "":
		a.Locations = append(a.Locations, linkwork.Location{ID: derive("csv_online", a.ID), Type: linkwork.LocationVirtual, Name: "Online", URL: get("online_url")})
	case online != "" && online != "no":
		return Imported{}, "online", fmt.Errorf("%q is not yes or no", online)
	}
	if len(a.Locations) == 0 {
		return Imported{}, "postcode", fmt.Errorf("give the postcode where it happens, or online: yes")
	}
	for _, s := range list(get("schedules")) {
		f := strings.Fields(s)
		times := []string{}
		if len(f) == 3 {
			times = strings.Split(f[2], "-")
		}
		if len(f) != 3 || len(times) != 2 || !linkwork.ValidClock(times[0]) || !linkwork.ValidClock(times[1]) {
			return Imported{}, "schedules", fmt.Errorf("%q is not a session like \"WEEKLY SA 10:00-12:00\"", s)
		}
		a.Schedules = append(a.Schedules, linkwork.Schedule{Freq: strings.ToUpper(f[0]), ByDay: strings.ToUpper(f[1]), OpensAt: times[0], ClosesAt: times[1]})
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
	out := Imported{Asset: a, FromCSV: true}
	if o := get("organisation"); o != "" {
		out.Org = &oruk.Organization{Name: o}
	}
	return out, "", nil
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

// ImportCSV saves the rows read by ReadCSV, as Import saves a feed.
func ImportCSV(ctx context.Context, st Store, rows []Imported) (Result, error) {
	var res Result
	for i, imp := range rows {
		if err := st.Save(ctx, imp, &res); err != nil {
			if !isFieldError(err) {
				return res, fmt.Errorf("row %d (%s): %w", i+1, imp.Asset.Name, err)
			}
			res.Skipped = append(res.Skipped, fmt.Sprintf("row %d (%q): %v", i+1, imp.Asset.Name, err))
		}
	}
	return res, nil
}
