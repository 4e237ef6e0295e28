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
		cj := evaluationColumnJSON{Name: c.Name, Type: c.Type, Description: c.Description, Codes: []evaluationCodeJSON{}}
		for _, code := range c.Codes {
			cj.Codes = append(cj.Codes, evaluationCodeJSON{Code: code.Code, Meaning: code.Meaning})
		}
		out.Columns = append(out.Columns, cj)
	}
	return out
}
