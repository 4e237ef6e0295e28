package orukio

import (
	"regexp"
	"slices"
	"strconv"
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
