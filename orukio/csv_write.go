package orukio

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/csvsafe"
)

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
