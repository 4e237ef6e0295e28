package web

import (
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// evaluationExportIn asks for the evaluation dataset over the API.
type evaluationExportIn struct {
	Agreement string `json:"agreement"`
	Recipient string `json:"recipient"`
	Purpose   string `json:"purpose"`
}

// evaluationExportJSON is the dataset as JSON: its columns (as the data
// dictionary names them) and a row of cells for each referral.
type evaluationExportJSON struct {
	Agreement string     `json:"agreement"`
	Recipient string     `json:"recipient"`
	Purpose   string     `json:"purpose"`
	MadeAt    time.Time  `json:"made_at"`
	Columns   []string   `json:"columns"`
	Rows      [][]string `json:"rows"`
}

func evaluationExportOut(e *linkwork.EvaluationExport) evaluationExportJSON {
	rows := e.Rows
	if rows == nil {
		rows = [][]string{}
	}
	return evaluationExportJSON{Agreement: e.Request.Agreement, Recipient: e.Request.Recipient, Purpose: e.Request.Purpose, MadeAt: e.Made.UTC(), Columns: e.Header, Rows: rows}
}

// evaluationDictionaryJSON is the data dictionary.
type evaluationDictionaryJSON struct {
	Columns []evaluationColumnJSON `json:"columns"`
	Notes   []string               `json:"notes"`
}

// evaluationColumnJSON is one column of the dataset.
type evaluationColumnJSON struct {
	Name        string               `json:"name"`
	Type        string               `json:"type"`
	Description string               `json:"description"`
	Codes       []evaluationCodeJSON `json:"codes"`
}

// evaluationCodeJSON is a code a column may hold.
type evaluationCodeJSON struct {
	Code    string `json:"code"`
	Meaning string `json:"meaning"`
}

func evaluationDictionaryOut() evaluationDictionaryJSON {
	out := evaluationDictionaryJSON{Notes: linkwork.EvaluationNotes}
	for _, c := range linkwork.EvaluationColumns() {
		out.Columns = append(out.Columns, evaluationColumnOut(c))
	}
	return out
}

// evaluationColumnOut is a column of an export's dictionary as JSON.
func evaluationColumnOut(c linkwork.EvaluationColumn) evaluationColumnJSON {
	cj := evaluationColumnJSON{Name: c.Name, Type: c.Type, Description: c.Description, Codes: []evaluationCodeJSON{}}
	for _, code := range c.Codes {
		cj.Codes = append(cj.Codes, evaluationCodeJSON{Code: code.Code, Meaning: code.Meaning})
	}
	return cj
}

// prsbExportJSON is the PRSB report as JSON: each part's columns (as the
// data dictionary names them) and rows of cells.
type prsbExportJSON struct {
	Agreement string         `json:"agreement"`
	Recipient string         `json:"recipient"`
	Purpose   string         `json:"purpose"`
	MadeAt    time.Time      `json:"made_at"`
	Parts     []prsbPartJSON `json:"parts"`
}

// prsbPartJSON is one part of the report.
type prsbPartJSON struct {
	Name    string     `json:"name"`
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"`
}

func prsbExportOut(e *linkwork.PRSBExport) prsbExportJSON {
	out := prsbExportJSON{Agreement: e.Request.Agreement, Recipient: e.Request.Recipient, Purpose: e.Request.Purpose, MadeAt: e.Made.UTC(), Parts: []prsbPartJSON{}}
	for _, t := range e.Tables {
		rows := t.Rows
		if rows == nil {
			rows = [][]string{}
		}
		out.Parts = append(out.Parts, prsbPartJSON{Name: t.Part, Columns: t.Header, Rows: rows})
	}
	return out
}

// prsbDictionaryJSON is the PRSB report's data dictionary.
type prsbDictionaryJSON struct {
	Parts []prsbPartDictionaryJSON `json:"parts"`
	Notes []string                 `json:"notes"`
}

// prsbPartDictionaryJSON describes one part of the report.
type prsbPartDictionaryJSON struct {
	Name    string           `json:"name"`
	Title   string           `json:"title"`
	Rows    string           `json:"rows"`
	Columns []prsbColumnJSON `json:"columns"`
}

// prsbColumnJSON is a column of the report and where in the standard it
// belongs.
type prsbColumnJSON struct {
	Name        string               `json:"name"`
	Type        string               `json:"type"`
	Description string               `json:"description"`
	Codes       []evaluationCodeJSON `json:"codes"`
	Section     string               `json:"section"`
	Element     string               `json:"element"`
}

func prsbDictionaryOut() prsbDictionaryJSON {
	out := prsbDictionaryJSON{Notes: linkwork.PRSBNotes}
	for _, p := range linkwork.PRSBParts() {
		pj := prsbPartDictionaryJSON{Name: p.Name, Title: p.Title, Rows: p.Rows}
		for _, c := range p.Columns {
			cj := evaluationColumnOut(c.EvaluationColumn)
			pj.Columns = append(pj.Columns, prsbColumnJSON{Name: cj.Name, Type: cj.Type, Description: cj.Description, Codes: cj.Codes, Section: c.Section, Element: c.Element})
		}
		out.Parts = append(out.Parts, pj)
	}
	return out
}
