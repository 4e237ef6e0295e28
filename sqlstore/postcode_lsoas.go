package sqlstore

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
	"github.com/linkwork/linkwork/imd"
)

// LSOAImport says what a load of the postcode lookup did.
type LSOAImport struct {
	Loaded  int // postcodes now in the lookup
	NoArea  int // skipped: no LSOA (a postcode outside England and Wales, or none given)
	Bad     int // skipped: the postcode does not read as a full postcode
	Ranked  int // of those loaded, in an English area the deprivation index ranks
	People  int // people whose area changed with the lookup
	Skipped int // NoArea + Bad
}

// lsoaReader reads an ONS postcode lookup CSV (NSPL or ONSPD) a row at a
// time: the postcode (the column pcds, or pcd when there is no pcds) and
// its 2011 LSOA (lsoa11). Nothing is held but the row being read, so a
// file of millions of rows streams.
type lsoaReader struct {
	cr             *csv.Reader
	postcode, lsoa int
}

// newLSOAReader reads the header row, and says which column is missing
// from a file that is not the lookup.
func newLSOAReader(r io.Reader) (*lsoaReader, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, linkwork.Errorf(linkwork.EINVALID, "line 1: the file is empty: it needs a header row with pcds (or pcd) and lsoa11")
	}
	if err != nil {
		return nil, badPostcodeFile(err)
	}
	col := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, seen := col[h]; !seen {
			col[h] = i
		}
	}
	pc, ok := col["pcds"]
	if !ok {
		pc, ok = col["pcd"]
	}
	if !ok {
		return nil, linkwork.Errorf(linkwork.EINVALID, "line 1: the file has no pcds or pcd column: is it the ONS postcode lookup (NSPL) CSV?")
	}
	ls, ok := col["lsoa11"]
	if !ok {
		return nil, linkwork.Errorf(linkwork.EINVALID, "line 1: the file has no lsoa11 column: the lookup must give each postcode's 2011 LSOA, which the deprivation index uses")
	}
	return &lsoaReader{cr: cr, postcode: pc, lsoa: ls}, nil
}

// lsoaRow is one row of the lookup: a full postcode in its usual form and
// its LSOA code, upper case; Why says why a row is skipped ("" when it is
// not).
type lsoaRow struct {
	Postcode, LSOA string
	Why            string
}

// next reads the next row; io.EOF at the end.
func (r *lsoaReader) next() (lsoaRow, error) {
	rec, err := r.cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return lsoaRow{}, io.EOF
		}
		return lsoaRow{}, badPostcodeFile(err)
	}
	if r.postcode >= len(rec) || r.lsoa >= len(rec) {
		return lsoaRow{Why: "bad"}, nil
	}
	pc, err := linkwork.ParsePostcode(rec[r.postcode])
	if err != nil || pc.Inward == "" {
		return lsoaRow{Why: "bad"}, nil
	}
	lsoa := strings.ToUpper(strings.TrimSpace(rec[r.lsoa]))
	// The ONS leaves the area empty, or gives a pseudo-code (L99999999,
	// M99999999, S00…/95… for Scotland and Northern Ireland), where a
	// postcode has no English or Welsh LSOA.
	if len(lsoa) != 9 || (lsoa[0] != 'E' && lsoa[0] != 'W') || !strings.HasPrefix(lsoa[1:], "01") {
		return lsoaRow{Postcode: pc.String(), Why: "no_area"}, nil
	}
	for _, c := range lsoa[1:] {
		if c < '0' || c > '9' {
			return lsoaRow{Postcode: pc.String(), Why: "no_area"}, nil
		}
	}
	return lsoaRow{Postcode: pc.String(), LSOA: lsoa}, nil
}

// ImportPostcodeLSOAs replaces the postcode → LSOA lookup with the rows of
// an ONS postcode lookup CSV (NSPL or ONSPD: the columns pcds or pcd, and
// lsoa11), each with its area's deprivation decile from the embedded
// index, then gives every person whose postcode is in it their area (and
// takes it from those whose postcode no longer is). A postcode given
// twice keeps its first row. It runs in one transaction, so a failed load
// leaves the lookup as it was. System only.
func ImportPostcodeLSOAs(ctx context.Context, db *DB, r io.Reader) (LSOAImport, error) {
	var res LSOAImport
	lr, err := newLSOAReader(r)
	if err != nil {
		return res, err
	}
	err = db.update(ctx, func(tx *Tx) error {
		if !tx.actor.System {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only the command line loads the postcode lookup")
		}
		if _, err := tx.exec("DELETE FROM postcode_lsoas"); err != nil {
			return err
		}
		var batch []any
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			rows := strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(batch)/3), ", ")
			_, err := tx.exec("INSERT INTO postcode_lsoas (postcode, lsoa11, imd_decile) VALUES "+rows+" ON CONFLICT (postcode) DO NOTHING", batch...)
			batch = batch[:0]
			return err
		}
		seenInBatch := map[string]bool{}
		for {
			row, err := lr.next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return err
			}
			switch row.Why {
			case "bad":
				res.Bad++
				continue
			case "no_area":
				res.NoArea++
				continue
			}
			// One INSERT may not name a key twice on PostgreSQL.
			if seenInBatch[row.Postcode] {
				continue
			}
			seenInBatch[row.Postcode] = true
			decile := imd.Decile(row.LSOA)
			batch = append(batch, row.Postcode, row.LSOA, decile)
			if len(batch) >= postcodeBatch*3 {
				if err := flush(); err != nil {
					return err
				}
				clear(seenInBatch)
			}
		}
		if err := flush(); err != nil {
			return err
		}
		if err := tx.queryRow("SELECT COUNT(*), COALESCE(SUM(CASE WHEN imd_decile > 0 THEN 1 ELSE 0 END), 0) FROM postcode_lsoas").Scan(&res.Loaded, &res.Ranked); err != nil {
			return err
		}
		res.Skipped = res.NoArea + res.Bad
		placed, err := tx.exec(`UPDATE people SET lsoa11 = COALESCE((SELECT l.lsoa11 FROM postcode_lsoas l WHERE l.postcode = people.postcode), ''),
	imd_decile = COALESCE((SELECT l.imd_decile FROM postcode_lsoas l WHERE l.postcode = people.postcode), 0)
WHERE lsoa11 <> COALESCE((SELECT l.lsoa11 FROM postcode_lsoas l WHERE l.postcode = people.postcode), '')
	OR imd_decile <> COALESCE((SELECT l.imd_decile FROM postcode_lsoas l WHERE l.postcode = people.postcode), 0)`)
		if err != nil {
			return err
		}
		n, err := placed.RowsAffected()
		if err != nil {
			return err
		}
		res.People = int(n)
		return tx.audit("postcodes.lsoa_import", auth.Kind("postcode"), "", fmt.Sprintf("loaded=%d ranked=%d no_area=%d bad=%d people=%d", res.Loaded, res.Ranked, res.NoArea, res.Bad, res.People))
	})
	return res, err
}
