package web_test

import (
	"sort"
	"testing"
)

// TestOpenAPIRequestTextHasMaxLength: every string a request body may send
// documents the longest the service accepts (maxLength), save those whose
// enum or date format already bounds them.
func TestOpenAPIRequestTextHasMaxLength(t *testing.T) {
	d := loadOpenAPI(t)
	seen := map[string]bool{}
	var missing []string
	var walk func(at string, s map[string]any)
	walk = func(at string, s map[string]any) {
		if ref, ok := s["$ref"].(string); ok {
			if seen[ref] {
				return
			}
			seen[ref] = true
			at = ref
		}
		s = d.deref(s)
		for _, key := range []string{"allOf", "anyOf", "oneOf"} {
			list, _ := s[key].([]any)
			for _, x := range list {
				if m, ok := x.(map[string]any); ok {
					walk(at, m)
				}
			}
		}
		if items, ok := s["items"].(map[string]any); ok {
			walk(at+"[]", items)
		}
		props, _ := s["properties"].(map[string]any)
		for name, p := range props {
			if m, ok := p.(map[string]any); ok {
				walk(at+"."+name, m)
			}
		}
		isString := false
		for _, typ := range openAPITypes(s) {
			isString = isString || typ == "string"
		}
		if !isString || s["enum"] != nil || s["format"] == "date" || s["format"] == "date-time" {
			return
		}
		if _, ok := s["maxLength"].(float64); !ok {
			missing = append(missing, at)
		}
	}
	for path, item := range d.paths() {
		ops, _ := item.(map[string]any)
		for method, op := range ops {
			o, _ := op.(map[string]any)
			body, _ := o["requestBody"].(map[string]any)
			content, _ := body["content"].(map[string]any)
			j, _ := content["application/json"].(map[string]any)
			if s, ok := j["schema"].(map[string]any); ok {
				walk(method+" "+path, s)
			}
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("%s is text a request sends without a maxLength", m)
	}
}
