package orukio

import (
	"context"
	"errors"
	"fmt"

	linkwork "github.com/linkwork/linkwork"
)

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
