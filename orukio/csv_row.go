package orukio

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/csvsafe"
	"github.com/linkwork/linkwork/oruk"
)

// A row of the directory CSV becomes a listing in steps, each filling in
// part of it and refusing, with a *RowError naming the column, what the
// store would refuse: the listing's own columns, its cost options, its
// places, its sessions (which may name a place) and its yes-or-no
// columns; then the store's own checks run on the whole.

// record is one row of a file, read through its layout.
type record struct {
	lay csvLayout
	rec []string
}

// get is the cell of column c, trimmed and with the apostrophe that kept
// a formula as text taken off; "" when the file has no such column.
func (r record) get(c string) string {
	if i, ok := r.lay.col[c]; ok && i < len(r.rec) {
		return csvsafe.Restore(strings.TrimSpace(r.rec[i]))
	}
	return ""
}

// bad is the problem with the cell of column c.
func bad(c, format string, args ...any) error {
	return &RowError{Column: c, Err: fmt.Errorf(format, args...)}
}

// imported maps a row to the listing it describes, or returns a
// *RowError naming the column of its first problem (its Line left for
// the caller).
func (lay csvLayout) imported(rec []string) (Imported, error) {
	r := record{lay, rec}
	a, err := r.listing()
	if err != nil {
		return Imported{}, err
	}
	costs, err := r.costs(a)
	if err != nil {
		return Imported{}, err
	}
	places, number, err := r.places(a)
	if err != nil {
		return Imported{}, err
	}
	if err := r.sessions(a, number); err != nil {
		return Imported{}, err
	}
	if err := r.yesNo(a); err != nil {
		return Imported{}, err
	}
	a.AssuredAt = time.Time{}
	origin := &csvOrigin{locs: places, costs: costs}
	if err := checkAsset(a, *origin); err != nil {
		return Imported{}, err
	}
	out := Imported{Asset: a, FromCSV: true, origin: origin}
	if o := r.get("organisation"); o != "" {
		out.Org = &oruk.Organization{Name: o}
	}
	return out, nil
}

// listing reads the listing's own columns but its sessions and yes-or-no
// columns.
func (r record) listing() (*linkwork.Asset, error) {
	a := &linkwork.Asset{
		Name: r.get("name"), Description: r.get("description"), URL: r.get("url"), Email: r.get("email"), Phone: r.get("phone"),
		Status: linkwork.AssetStatus(or(r.get("status"), "active")), HowToJoin: linkwork.HowToJoin(or(r.get("how_to_join"), "self_refer")),
		Capacity:      linkwork.Capacity{Status: linkwork.CapacityStatus(or(r.get("capacity"), "accepting"))},
		Accessibility: r.get("accessibility"), Languages: list(r.get("languages")), ServiceAreas: list(r.get("service_areas")),
	}
	if a.Name == "" {
		return nil, bad("name", "a service needs a name")
	}
	if id := r.get("id"); id != "" {
		a.ID = ID("service", id)
	} else {
		a.ID = derive("csv_service", a.Name, r.get("organisation"))
	}
	switch a.Status {
	case linkwork.AssetActive, linkwork.AssetInactive, linkwork.AssetDefunct, linkwork.AssetTempClosed:
	default:
		return nil, bad("status", "%q is not active, inactive, defunct or temporarily closed", a.Status)
	}
	if !a.HowToJoin.Valid() {
		return nil, bad("how_to_join", "%q is not drop_in, self_refer, referral_required or via_link_worker", a.HowToJoin)
	}
	if !a.Capacity.Status.Valid() {
		return nil, bad("capacity", "%q is not accepting, waiting_list, full or closed", a.Capacity.Status)
	}
	for _, c := range list(r.get("categories")) {
		if !linkwork.Category(c).Valid() {
			return nil, bad("categories", "%q is not a category", c)
		}
		a.Categories = append(a.Categories, linkwork.Category(c))
	}
	if len(a.Categories) == 0 {
		return nil, bad("categories", "give at least one category")
	}
	for _, p := range []struct {
		col string
		dst *int
	}{{"minimum_age", &a.MinAge}, {"maximum_age", &a.MaxAge}} {
		if x := r.get(p.col); x != "" {
			n, err := strconv.Atoi(x)
			if err != nil || n < 0 || n > linkwork.MaxAge {
				return nil, bad(p.col, "%q is not an age from 0 to 120", x)
			}
			*p.dst = n
		}
	}
	if a.MaxAge != 0 && a.MinAge > a.MaxAge {
		return nil, bad("maximum_age", "%d is below the minimum age, %d", a.MaxAge, a.MinAge)
	}
	return a, nil
}

// costs adds the cost options: the one-place layout's, then the numbered
// groups'. It returns the columns of each.
func (r record) costs(a *linkwork.Asset) ([]source, error) {
	type group struct {
		id   string
		cols map[string]string
	}
	groups := []group{{derive("csv_cost", a.ID), map[string]string{"pence": "cost_pence", "description": "cost_description"}}}
	for _, n := range r.lay.costs {
		cols := map[string]string{}
		for _, c := range CostColumns {
			cols[c] = CostColumn(n, c)
		}
		groups = append(groups, group{derive("csv_cost", a.ID, strconv.Itoa(n)), cols})
	}
	var out []source
	for _, g := range groups {
		option, pence, desc := r.get(g.cols["option"]), r.get(g.cols["pence"]), r.get(g.cols["description"])
		if option == "" && pence == "" && desc == "" {
			continue
		}
		c := linkwork.CostOption{ID: g.id, Option: option, AmountDescription: desc}
		if pence != "" {
			n, err := strconv.Atoi(pence)
			if err != nil || n < 0 {
				return nil, bad(g.cols["pence"], "%q is not a whole number of pence", pence)
			}
			c.Amount = linkwork.Int(n)
		} else if desc == "" {
			return nil, bad(g.cols["pence"], "give the amount in pence (0 when it is free), or describe the cost")
		}
		a.CostOptions = append(a.CostOptions, c)
		out = append(out, source{g.cols})
	}
	return out, nil
}

// places adds the places: the one-place layout's place and online
// location, then the numbered groups'. It returns the columns of each,
// and the id of the location of each group by its number (for sessions
// to name). A listing needs at least one place.
func (r record) places(a *linkwork.Asset) ([]source, map[int]string, error) {
	var out []source
	number := map[int]string{}
	if pc := r.get("postcode"); pc != "" {
		if _, err := linkwork.ParsePostcode(pc); err != nil {
			return nil, nil, bad("postcode", "%q is not a UK postcode", pc)
		}
		a.Locations = append(a.Locations, linkwork.Location{ID: derive("csv_place", a.ID), Type: linkwork.LocationPhysical,
			Name: or(r.get("location_name"), r.get("address_1")), Address1: r.get("address_1"), City: r.get("city"), StateProvince: r.get("county"), PostalCode: pc})
		out = append(out, source{map[string]string{"": "postcode", "postal_code": "postcode", "name": "location_name"}})
	}
	switch online := strings.ToLower(r.get("online")); {
	case online == "yes" || r.get("online_url") != "":
		a.Locations = append(a.Locations, linkwork.Location{ID: derive("csv_online", a.ID), Type: linkwork.LocationVirtual, Name: "Online", URL: r.get("online_url")})
		out = append(out, source{map[string]string{"": "online_url"}})
	case online != "" && online != "no":
		return nil, nil, bad("online", "%q is not yes or no", online)
	}
	for _, n := range r.lay.locations {
		l, src, err := r.place(a, n)
		if err != nil {
			return nil, nil, err
		}
		if l == nil {
			continue
		}
		number[n] = l.ID
		a.Locations = append(a.Locations, *l)
		out = append(out, src)
	}
	if len(a.Locations) == 0 {
		if len(r.lay.locations) > 0 {
			return nil, nil, bad(LocationColumn(r.lay.locations[0], "postcode"), "give the postcode where it happens, or make it an online location")
		}
		return nil, nil, bad("postcode", "give the postcode where it happens, or online: yes")
	}
	return out, number, nil
}

// place reads location group n: nil when it is wholly blank.
func (r record) place(a *linkwork.Asset, n int) (*linkwork.Location, source, error) {
	col := func(c string) string { return LocationColumn(n, c) }
	blank := true
	for _, c := range LocationColumns {
		blank = blank && r.get(col(c)) == ""
	}
	if blank {
		return nil, source{}, nil
	}
	l := linkwork.Location{ID: derive("csv_location", a.ID, strconv.Itoa(n)), Name: r.get(col("name")), URL: r.get(col("url"))}
	pc := r.get(col("postcode"))
	switch t := strings.ToLower(r.get(col("type"))); {
	case t == "physical" || t == "place" || (t == "" && (pc != "" || l.URL == "")):
		l.Type = linkwork.LocationPhysical
	case t == "online" || t == "virtual" || t == "":
		l.Type = linkwork.LocationVirtual
	default:
		return nil, source{}, bad(col("type"), "%q is not physical or online", t)
	}
	if l.Physical() {
		l.Address1, l.City, l.StateProvince, l.PostalCode = r.get(col("address_1")), r.get(col("city")), r.get(col("county")), pc
		if pc == "" {
			return nil, source{}, bad(col("postcode"), "give the postcode where it happens (or make location_%d_type online)", n)
		}
		if _, err := linkwork.ParsePostcode(pc); err != nil {
			return nil, source{}, bad(col("postcode"), "%q is not a UK postcode", pc)
		}
	} else {
		for _, c := range []string{"address_1", "city", "county", "postcode"} {
			if r.get(col(c)) != "" {
				return nil, source{}, bad(col(c), "an online location has no address (make location_%d_type physical)", n)
			}
		}
	}
	lat, lon := r.get(col("latitude")), r.get(col("longitude"))
	if (lat == "") != (lon == "") {
		return nil, source{}, bad(col("latitude"), "give both the latitude and the longitude, or neither")
	}
	if lat != "" {
		var err error
		if l.Lat, err = strconv.ParseFloat(lat, 64); err != nil || l.Lat < -90 || l.Lat > 90 {
			return nil, source{}, bad(col("latitude"), "%q is not a latitude in degrees", lat)
		}
		if l.Lon, err = strconv.ParseFloat(lon, 64); err != nil || l.Lon < -180 || l.Lon > 180 {
			return nil, source{}, bad(col("longitude"), "%q is not a longitude in degrees", lon)
		}
	}
	cols := map[string]string{"": col("postcode"), "name": col("name"), "url": col("url"), "type": col("type"), "postal_code": col("postcode")}
	if !l.Physical() {
		cols[""] = col("url")
	}
	return &l, source{cols}, nil
}

// sessions adds the sessions: "FREQ BYDAY HH:MM-HH:MM", with " @N" when
// it is at location group N.
func (r record) sessions(a *linkwork.Asset, number map[int]string) error {
	for _, s := range list(r.get("schedules")) {
		f := strings.Fields(s)
		sc := linkwork.Schedule{}
		if len(f) == 4 && strings.HasPrefix(f[3], "@") {
			n, err := strconv.Atoi(f[3][1:])
			if err != nil || number[n] == "" {
				return bad("schedules", "%q: there is no location_%s", s, f[3][1:])
			}
			sc.LocationID, f = number[n], f[:3]
		}
		times := []string{}
		if len(f) == 3 {
			times = strings.Split(f[2], "-")
		}
		if len(f) != 3 || len(times) != 2 || !linkwork.ValidClock(times[0]) || !linkwork.ValidClock(times[1]) {
			return bad("schedules", "%q is not a session like \"WEEKLY SA 10:00-12:00\" or, at location_2, \"WEEKLY SA 10:00-12:00 @2\"", s)
		}
		sc.Freq, sc.ByDay, sc.OpensAt, sc.ClosesAt = strings.ToUpper(f[0]), strings.ToUpper(f[1]), times[0], times[1]
		a.Schedules = append(a.Schedules, sc)
	}
	return nil
}

// yesNo reads the yes-or-no columns.
func (r record) yesNo(a *linkwork.Asset) error {
	for _, p := range []struct {
		col string
		dst *bool
	}{{"youth_friendly", &a.YouthFriendly}, {"buddy_welcome", &a.BuddyWelcome}} {
		switch x := strings.ToLower(r.get(p.col)); x {
		case "yes", "true", "y":
			*p.dst = true
		case "", "no", "false", "n":
		default:
			return bad(p.col, "%q is not yes or no", x)
		}
	}
	return nil
}
