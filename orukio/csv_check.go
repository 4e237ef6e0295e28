package orukio

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"

	linkwork "github.com/linkwork/linkwork"
)

// fieldRe splits a store field name: locations[1].postal_code.
var fieldRe = regexp.MustCompile(`^(locations|cost_options|schedules)\[(\d+)\](?:\.(.+))?$`)

// checkAsset runs the store's checks on a, tidied as the store tidies it,
// and names the column of the first problem, by where in the file each
// part of it came from.
func checkAsset(a *linkwork.Asset, o csvOrigin) error {
	c := a.Normalised()
	err := c.Validate()
	if err == nil {
		return nil
	}
	fs := linkwork.ErrorFields(err)
	if len(fs) == 0 {
		return err
	}
	return &RowError{Column: o.column(fs[0].Field), Err: errors.New(fs[0].Message)}
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

// refused is the store's refusal of the row, naming its line and the
// column of each field the store names (a row that came from no file is
// named by its position).
func (o *csvOrigin) refused(row int, err error) error {
	if o == nil || o.line == 0 {
		return fmt.Errorf("row %d: %w", row, err)
	}
	var org orgError
	fs := linkwork.ErrorFields(err)
	switch {
	case errors.As(err, &org):
		return &RowError{Line: o.line, Column: "organisation", Err: org.err}
	case len(fs) == 0:
		return &RowError{Line: o.line, Err: err}
	}
	errs := make([]error, len(fs))
	for i, f := range fs {
		errs[i] = &RowError{Line: o.line, Column: o.column(f.Field), Err: errors.New(f.Message)}
	}
	return errors.Join(errs...)
}
