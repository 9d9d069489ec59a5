package token

import (
	"errors"
	"strings"
)

// splitWords splits a command line into words the way a POSIX shell would,
// without expanding anything: white space separates words; 'single quotes'
// keep everything literally; "double quotes" keep everything but a backslash
// before ", \, $ or `; outside quotes a backslash keeps the next character.
func splitWords(line string) ([]string, error) {
	var (
		words  []string
		word   strings.Builder
		inWord bool // a word has started, possibly empty (as in '')
	)
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == ' ' || r == '\t' || r == '\n':
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		case r == '\\':
			inWord = true
			if i+1 < len(rs) {
				i++
				if rs[i] != '\n' { // backslash-newline continues the line
					word.WriteRune(rs[i])
				}
			} else {
				word.WriteRune(r)
			}
		case r == '\'':
			inWord = true
			end := indexRune(rs, i+1, '\'')
			if end < 0 {
				return nil, errors.New("unterminated single quote")
			}
			word.WriteString(string(rs[i+1 : end]))
			i = end
		case r == '"':
			inWord = true
			end, err := doubleQuoted(rs, i+1, &word)
			if err != nil {
				return nil, err
			}
			i = end
		default:
			inWord = true
			word.WriteRune(r)
		}
	}
	if inWord {
		words = append(words, word.String())
	}
	if len(words) == 0 {
		return nil, errors.New("empty command")
	}
	return words, nil
}

// doubleQuoted copies a double-quoted string starting at rs[from] into w and
// returns the index of the closing quote.
func doubleQuoted(rs []rune, from int, w *strings.Builder) (int, error) {
	for i := from; i < len(rs); i++ {
		switch r := rs[i]; {
		case r == '"':
			return i, nil
		case r == '\\' && i+1 < len(rs) && strings.ContainsRune("\"\\$`\n", rs[i+1]):
			i++
			if rs[i] != '\n' {
				w.WriteRune(rs[i])
			}
		default:
			w.WriteRune(r)
		}
	}
	return 0, errors.New("unterminated double quote")
}

// indexRune returns the index of the first r in rs at or after from, or -1.
func indexRune(rs []rune, from int, r rune) int {
	for i := from; i < len(rs); i++ {
		if rs[i] == r {
			return i
		}
	}
	return -1
}
