package sqlstore

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// PostcodeImport says what an import of a postcode file did.
type PostcodeImport struct {
	Loaded     int // postcodes now in the table
	Terminated int // skipped: no longer in use (doterm set)
	NoPlace    int // skipped: no coordinates
}

// postcodeBatch is how many postcodes one INSERT writes.
const postcodeBatch = 500

// ImportPostcodes replaces the postcode table with the postcodes of an
// ONS Postcode Directory CSV: the columns pcds (the postcode), lat and
// long, and doterm (the month a postcode was terminated, empty while it
// is live) when present. Rows without coordinates, or terminated, are
// skipped. It runs in one transaction, so a failed import leaves the
// table as it was. System only.
func ImportPostcodes(ctx context.Context, db *DB, r io.Reader) (PostcodeImport, error) {
	var res PostcodeImport
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return res, linkwork.Errorf(linkwork.EINVALID, "line 1: the file is empty: it needs a header row with pcds, lat and long")
	}
	if err != nil {
		return res, badPostcodeFile(err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, need := range []string{"pcds", "lat", "long"} {
		if _, ok := col[need]; !ok {
			return res, linkwork.Errorf(linkwork.EINVALID, "line 1: the file has no %q column: is it the ONS Postcode Directory CSV?", need)
		}
	}
	term, hasTerm := col["doterm"]
	err = db.update(ctx, func(tx *Tx) error {
		if !tx.actor.System {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only the command line loads postcodes")
		}
		if _, err := tx.exec("DELETE FROM postcodes"); err != nil {
			return err
		}
		var batch []any
		seen := map[string]bool{}
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			rows := strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(batch)/3), ", ")
			_, err := tx.exec("INSERT INTO postcodes (postcode, lat, lon) VALUES "+rows, batch...)
			batch = batch[:0]
			return err
		}
		for {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return badPostcodeFile(err)
			}
			if hasTerm && term < len(rec) && strings.TrimSpace(rec[term]) != "" {
				res.Terminated++
				continue
			}
			lat, err1 := strconv.ParseFloat(strings.TrimSpace(rec[col["lat"]]), 64)
			lon, err2 := strconv.ParseFloat(strings.TrimSpace(rec[col["long"]]), 64)
			// The ONS gives 99.999999, 0 for a postcode with no grid
			// reference. (Written so that NaN, which PostgreSQL would
			// store, is out of bounds too.)
			if err1 != nil || err2 != nil || !(lat >= 49 && lat <= 61 && lon >= -9 && lon <= 2.5) {
				res.NoPlace++
				continue
			}
			pc, err := linkwork.ParsePostcode(rec[col["pcds"]])
			if err != nil || pc.Inward == "" {
				res.NoPlace++
				continue
			}
			key := pc.String()
			if seen[key] {
				continue
			}
			seen[key] = true
			batch = append(batch, key, lat, lon)
			res.Loaded++
			if len(batch) >= postcodeBatch*3 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
		return tx.audit("postcodes.import", auth.Kind("postcode"), "", fmt.Sprintf("loaded=%d terminated=%d no_place=%d", res.Loaded, res.Terminated, res.NoPlace))
	})
	return res, err
}

// badPostcodeFile is EINVALID for a file that is not CSV, saying where
// (the CSV reader's error names the line and column).
func badPostcodeFile(err error) error {
	return &linkwork.Error{Code: linkwork.EINVALID, Message: err.Error(), Err: err}
}

// PostcodePoint returns the centre of a full postcode from the postcode
// table, and false when the table does not have it (or the postcode is
// only a district).
func (s *ListingService) PostcodePoint(ctx context.Context, postcode string) (linkwork.Point, bool, error) {
	var p linkwork.Point
	pc, err := linkwork.ParsePostcode(postcode)
	if err != nil || pc.Inward == "" {
		return p, false, nil
	}
	found := false
	err = s.db.viewAs(ctx, publicActor(ctx), func(tx *Tx) error {
		err := tx.queryRow("SELECT lat, lon FROM postcodes WHERE postcode = ?", pc.String()).Scan(&p.Lat, &p.Lon)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		found = err == nil
		return err
	})
	return p, found, err
}
