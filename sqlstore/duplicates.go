package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	linkwork "github.com/linkwork/linkwork"
)

// A new referral's person is flagged as possibly someone the service
// already holds when they share, with a person the service holds, their
// name and date of birth (ignoring case), their phone number (exactly) or
// their email address (ignoring case). Each of these is an indexed key on
// people, so the check is a few index lookups however many people the
// service holds: the name and date of birth and the email are kept, lower
// cased in Go, in dup_name_dob and dup_email by every writer of people
// (insertPerson, UpdatePerson, the Loader), and phone is its own column.
// Lower casing in Go gives the same answer on both engines, where SQL's
// lower() folds only ASCII letters in SQLite.

// dupNameDOB is the key under which a person with the name and date of
// birth is found: NULL without a date of birth, which a match needs.
func dupNameDOB(given, family string, dob linkwork.Date) any {
	if dob.IsZero() {
		return nil
	}
	// Quoted, so that no two pairs of names make the same key.
	return strconv.Quote(strings.ToLower(given)) + " " + strconv.Quote(strings.ToLower(family)) + " " + dob.String()
}

// dupEmail is the key under which a person with the email address is
// found: NULL without one.
func dupEmail(email string) any {
	if email == "" {
		return nil
	}
	return strings.ToLower(email)
}

// duplicateQuery is the statement findDuplicate runs for p, and its
// arguments; "" when p has nothing to match on. Each way of matching is
// its own branch, answered by its own index (service, key, created_at)
// at its first row; the earliest of them wins.
func duplicateQuery(p *linkwork.Person) (string, []any) {
	var branches []string
	var args []any
	branch := func(col string, key any) {
		branches = append(branches, "SELECT * FROM (SELECT id, created_at FROM people WHERE service_org_id = ? AND "+col+" = ? ORDER BY created_at, id LIMIT 1) d"+strconv.Itoa(len(branches)))
		args = append(args, p.ServiceOrgID, key)
	}
	if key := dupNameDOB(p.GivenName, p.FamilyName, p.DateOfBirth); key != nil {
		branch("dup_name_dob", key)
	}
	if p.Phone != "" {
		branch("phone", p.Phone)
	}
	if key := dupEmail(p.Email); key != nil {
		branch("dup_email", key)
	}
	if len(branches) == 0 {
		return "", nil
	}
	return "SELECT id FROM (" + strings.Join(branches, " UNION ALL ") + ") m ORDER BY created_at, id LIMIT 1", args
}

// findDuplicate returns a person already held by the service with the same
// name and date of birth, or the same phone or email, or "".
func (tx *Tx) findDuplicate(p *linkwork.Person) (string, error) {
	q, args := duplicateQuery(p)
	if q == "" {
		return "", nil
	}
	var id string
	err := tx.queryRow(q, args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// backfillDuplicateKeys fills people.dup_name_dob and people.dup_email
// (0018_indexed_keys.sql) for the people already held.
func backfillDuplicateKeys(ctx context.Context, tx *sql.Tx, dialect string) error {
	type row struct {
		id           string
		nameDOB, eml any
	}
	var rows []row
	rs, err := tx.QueryContext(ctx, "SELECT id, given_name, family_name, date_of_birth, email FROM people")
	if err != nil {
		return err
	}
	for rs.Next() {
		var id, given, family, email string
		var dob linkwork.Date
		if err := rs.Scan(&id, &given, &family, dateDest{&dob}, &email); err != nil {
			rs.Close()
			return err
		}
		rows = append(rows, row{id, dupNameDOB(given, family, dob), dupEmail(email)})
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return err
	}
	if dialect == "postgres" {
		const size = 5000
		for start := 0; start < len(rows); start += size {
			chunk := rows[start:min(start+size, len(rows))]
			ids, names, emails := make([]string, len(chunk)), make([]*string, len(chunk)), make([]*string, len(chunk))
			for i, r := range chunk {
				ids[i] = r.id
				if s, ok := r.nameDOB.(string); ok {
					names[i] = &s
				}
				if s, ok := r.eml.(string); ok {
					emails[i] = &s
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE people p SET dup_name_dob = v.name_dob, dup_email = v.email
				FROM unnest($1::text[], $2::text[], $3::text[]) AS v (id, name_dob, email) WHERE p.id = v.id`, ids, names, emails); err != nil {
				return err
			}
		}
		return nil
	}
	st, err := tx.PrepareContext(ctx, "UPDATE people SET dup_name_dob = ?, dup_email = ? WHERE id = ?")
	if err != nil {
		return err
	}
	defer st.Close()
	for _, r := range rows {
		if _, err := st.ExecContext(ctx, r.nameDOB, r.eml, r.id); err != nil {
			return err
		}
	}
	return nil
}
