package stsrules

import (
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// The hot path's shortcuts must give what encoding/json gives, so that no
// verdict depends on which path ran.

func TestJSONStringAgreesWithUnmarshal(t *testing.T) {
	for _, raw := range []string{
		`"RS256"`, `""`, `"a b"`, ` "RS256"`, `"RS256" `, `"R\u0053256"`, `"caf\u00e9"`, `"café"`,
		`"\ud800"`, "\"\xff\"", `"tab	"`, `"q\"q"`, `null`, `1`, `["RS256"]`, `{}`, `"`, `"unterminated`, ``,
	} {
		var want string
		wantOK := isKind([]byte(raw), '"') && json.Unmarshal([]byte(raw), &want) == nil
		if !wantOK {
			want = ""
		}
		got, ok := JSONString([]byte(raw))
		if got != want || ok != wantOK {
			t.Errorf("JSONString(%q) = %q, %v; json.Unmarshal gives %q, %v", raw, got, ok, want, wantOK)
		}
	}
}

func TestHeaderFieldsAgreeWithUnmarshal(t *testing.T) {
	for _, header := range []string{
		`{"alg":"RS256","kid":"k"}`, `{"alg":"RS256"}`, `{"alg":"RS256","crit":["exp"]}`, `{"alg":"RS256","crit":null}`,
		`{"alg":"RS256","ALG":"none"}`, `{"Alg":"none","alg":"RS256"}`, `{"alg":"RS256","Kid":"x"}`, `{"alg":"RS256","CRIT":[]}`,
		`{"alg":"RS256","\u212aid":"kelvin"}`, `{"alg":"RS256","kid":1}`, `{"typ":"JWT","alg":"ES256","kid":null}`,
		`{"alg":"RS256","alg":"ES256"}`,
	} {
		m, err := parseObject([]byte(header))
		if err != nil {
			t.Fatalf("%s: %v", header, err)
		}
		var want headerFields
		if err := json.Unmarshal([]byte(header), &want); err != nil {
			t.Fatalf("%s: %v", header, err)
		}
		if got, ok := fieldsOf(m); ok && !reflect.DeepEqual(got, want) {
			t.Errorf("fieldsOf(%s) = %+v, json.Unmarshal gives %+v", header, got, want)
		}
		tok := &Token{Header: json.RawMessage(header)}
		decoded := Decode(b64(header) + "." + b64(`{"iss":"x"}`) + ".c2ln")
		gotH, gotErr := decoded.ReadHeader()
		wantH, wantErr := tok.ReadHeader() // no parsed parts: the slow path
		if gotH != wantH || (gotErr == nil) != (wantErr == nil) || (gotErr != nil && gotErr.Rule != wantErr.Rule) {
			t.Errorf("%s: ReadHeader of a decoded token %+v, %v; of the same header unparsed %+v, %v", header, gotH, gotErr, wantH, wantErr)
		}
		if a, b := decoded.CheckShape(), (&Token{Length: 10, Parts: 3, Header: json.RawMessage(header), Claims: json.RawMessage(`{"iss":"x"}`), SignatureLength: 4}).CheckShape(); (a == nil) != (b == nil) {
			t.Errorf("%s: CheckShape of a decoded token %v, of the same token unparsed %v", header, a, b)
		}
	}
}

func TestParseObjectAgreesWithDecoder(t *testing.T) {
	for _, doc := range []string{
		`{}`, `{"a":1}`, ` {"a":1} `, `{"a":1}{"b":2}`, `{"a":1} x`, `null`, `[]`, `"s"`, `{"a":1,"a":2}`, `{"a":}`, ``, `{"a":"\ud800"}`,
	} {
		got, gotErr := parseObject([]byte(doc))
		want, wantErr := parseObjectSlow([]byte(doc))
		if (gotErr == nil) != (wantErr == nil) || !reflect.DeepEqual(got, want) {
			t.Errorf("parseObject(%q) = %v, %v; the decoder gives %v, %v", doc, got, gotErr, want, wantErr)
		}
	}
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func TestMembersAgreeWithUnmarshal(t *testing.T) {
	for _, doc := range membersSeeds {
		checkMembers(t, []byte(doc))
	}
	for _, depth := range []int{9998, 9999, 10000, 10001} { // json.Valid's limit, with the object's own level
		checkMembers(t, []byte(`{"a":`+strings.Repeat("[", depth)+strings.Repeat("]", depth)+`}`))
	}
}

func FuzzMembers(f *testing.F) {
	for _, doc := range membersSeeds {
		f.Add([]byte(doc))
	}
	f.Fuzz(checkMembers)
}

// membersSeeds are documents members must read as json.Unmarshal does, or
// leave to it.
var membersSeeds = []string{
	`{}`, ` { } `, `{"a":1}`, "\t{\n\"a\" :\r 1 ,\"b\": [1, {\"c\": \"}\"}] }\n", `{"a":1,"a":2}`, `{"a":null}`,
	`{"a":"x\"y","b":"\\"}`, `{"a":{"b":{"c":[]}},"d":true,"e":false,"f":-1.5e3}`, `{"é":1}`, `{"a\u0062":1}`,
	`{"a":"\ud800"}`, "{\"a\":\"\xff\"}", "{\"\xff\":1}", `{"":""}`, `[]`, `null`, `"s"`, `1`, `{"a":[1,2],"b":"]"}`,
	`{"iss":"https://issuer.example","aud":["sts.amazonaws.com","x"],"sub":"system:serviceaccount:ns:sa","exp":1700000000}`,
	`{"a":1,}`, `{"a":01}`, `{"a":-}`, `{"a":1.}`, `{"a":1e}`, `{"a":1e+5,"b":-0.5E-2}`, `{"a":truex}`, `{"a":nul}`, `{"a":"\x"}`,
	`{"a":"\u12g4"}`, "{\"a\":\"\x01\"}", `{"a":{]}`, `{"a":[1,]}`, `{"a":1}}`, `{"a":1} {}`, `{"a" 1}`, `{"a":1 "b":2}`, `{`, `{"a`,
	`{"a":"\u00e9\n\/"}`, `{"a":[{"b":"]}"}]}`, `{"a":"}`,
}

// checkMembers holds members to json.Unmarshal on doc.
func checkMembers(t *testing.T, doc []byte) {
	got, ok := members(doc)
	if !json.Valid(doc) {
		if ok {
			t.Errorf("members(%q) read a document json.Valid refuses: %q", doc, got)
		}
		return
	}
	var want map[string]json.RawMessage
	wantErr := json.Unmarshal(doc, &want)
	if !ok {
		if wantErr == nil && want != nil && plainBytes(doc) {
			t.Errorf("members(%q) declined an object json.Unmarshal reads, with no escape or non-ASCII byte", doc)
		}
		return
	}
	if wantErr != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("members(%q) = %q; json.Unmarshal gives %q, %v", doc, got, want, wantErr)
	}
}

// plainBytes reports whether doc has no backslash and no byte outside
// printable ASCII but JSON white space.
func plainBytes(doc []byte) bool {
	for _, c := range doc {
		if c == '\\' || c > 0x7e || (c < 0x20 && c != ' ' && c != '\t' && c != '\n' && c != '\r') {
			return false
		}
	}
	return true
}

// stringsSeeds are arrays jsonStrings must read as json.Unmarshal does, or
// leave to it.
var stringsSeeds = []string{
	`[]`, ` [ ] `, `["a"]`, `["sts.amazonaws.com","x"]`, "\t[ \"a\" ,\n\"b\" ]\r", `[""]`, `["a",]`, `[,"a"]`, `["a" "b"]`,
	`["a"]]`, `["a"] x`, `[`, `["a`, `["a\"b"]`, `["\u0061"]`, `["é"]`, "[\"\xff\"]", "[\"\x01\"]", `[1]`, `["a",1]`,
	`[null]`, `["a",null]`, `[["a"]]`, `null`, `"a"`, `{}`, ``, `["a"],`,
}

// checkStrings holds jsonStrings to json.Unmarshal into a nil []string on raw.
func checkStrings(t *testing.T, raw []byte) {
	got, ok := jsonStrings(raw)
	var want []string
	wantOK := isKind(raw, '[') && json.Unmarshal(raw, &want) == nil
	if !wantOK {
		want = nil
	}
	if ok != wantOK || !reflect.DeepEqual(got, want) {
		t.Errorf("jsonStrings(%q) = %#v, %v; json.Unmarshal gives %#v, %v", raw, got, ok, want, wantOK)
	}
}

func TestStringsAgreeWithUnmarshal(t *testing.T) {
	for _, raw := range stringsSeeds {
		checkStrings(t, []byte(raw))
	}
}

// FuzzStrings holds jsonStrings to json.Unmarshal on arbitrary input.
func FuzzStrings(f *testing.F) {
	for _, raw := range stringsSeeds {
		f.Add([]byte(raw))
	}
	f.Fuzz(checkStrings)
}

func TestShortDecimalAgreesWithParseInt(t *testing.T) {
	for _, s := range []string{
		"0", "-0", "7", "007", "-42", "1700000000", "999999999999999999", "-999999999999999999", "9999999999999999999",
		"9223372036854775807", "9223372036854775808", "+5", "", "-", "1.5", "1e3", "12a", " 1", "--1", "١",
	} {
		got, ok := shortDecimal([]byte(s))
		want, err := strconv.ParseInt(s, 10, 64)
		if ok && (err != nil || got != want) {
			t.Errorf("shortDecimal(%q) = %d; strconv.ParseInt gives %d, %v", s, got, want, err)
		}
		if !ok && err == nil && len(strings.TrimPrefix(s, "-")) <= 18 && !strings.HasPrefix(s, "+") {
			t.Errorf("shortDecimal(%q) declined what strconv.ParseInt reads as %d", s, want)
		}
	}
}
