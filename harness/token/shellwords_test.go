package token

import (
	"reflect"
	"testing"
)

func TestSplitWords(t *testing.T) {
	tests := []struct {
		line string
		want []string
		err  string
	}{
		{line: "cat /var/run/token", want: []string{"cat", "/var/run/token"}},
		{line: "  cat \t a  ", want: []string{"cat", "a"}},
		{line: `printf '%s' 'a b'`, want: []string{"printf", "%s", "a b"}},
		{line: `echo "a \"b\" \$HOME \x"`, want: []string{"echo", `a "b" $HOME \x`}},
		{line: `echo a\ b c\\d`, want: []string{"echo", "a b", `c\d`}},
		{line: `echo '' ""`, want: []string{"echo", "", ""}},
		{line: `echo a'b'"c"d`, want: []string{"echo", "abcd"}},
		{line: `echo '$HOME' "it's"`, want: []string{"echo", "$HOME", "it's"}},
		{line: "echo a\\\nb", want: []string{"echo", "ab"}},
		{line: `echo end\`, want: []string{"echo", `end\`}},
		{line: "aws sts get-web-identity-token --audience 'sts.amazonaws.com'", want: []string{"aws", "sts", "get-web-identity-token", "--audience", "sts.amazonaws.com"}},
		{line: `echo 'open`, err: "unterminated single quote"},
		{line: `echo "open`, err: "unterminated double quote"},
		{line: "   ", err: "empty command"},
	}
	for _, tt := range tests {
		got, err := splitWords(tt.line)
		switch {
		case tt.err != "" && (err == nil || err.Error() != tt.err):
			t.Errorf("splitWords(%q) = %q, %v; want error %q", tt.line, got, err, tt.err)
		case tt.err == "" && (err != nil || !reflect.DeepEqual(got, tt.want)):
			t.Errorf("splitWords(%q) = %q, %v; want %q", tt.line, got, err, tt.want)
		}
	}
}
