package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"regexp"
	"sort"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// getItem is three-tier api's GET /items/{key}: the item as JSON, or 404.
func (s *service) getItem(w http.ResponseWriter, r *http.Request, key string) {
	out, err := s.client.GetItem(r.Context(), &dynamodb.GetItemInput{
		TableName:      aws.String(s.TableItems),
		Key:            map[string]types.AttributeValue{"key": &types.AttributeValueMemberS{Value: key}},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		storageUnavailable(w, err)
		return
	}
	if out.Item == nil {
		reply(w, http.StatusNotFound, map[string]string{
			"error": "item_not_found", "detail": fmt.Sprintf("no item has key '%s'", key),
		})
		return
	}
	reply(w, http.StatusOK, fromAttributes(out.Item))
}

// fromAttributes is three-tier's from_attributes: maps become objects (encoding/json sorts
// their names, as the stand-in stores them), sets sorted lists, binary base64.
func fromAttributes(item map[string]types.AttributeValue) map[string]any {
	values := make(map[string]any, len(item))
	for name, value := range item {
		values[name] = fromAttribute(value)
	}
	return values
}

func fromAttribute(value types.AttributeValue) any {
	switch v := value.(type) {
	case *types.AttributeValueMemberS:
		return v.Value
	case *types.AttributeValueMemberN:
		return number(v.Value)
	case *types.AttributeValueMemberBOOL:
		return v.Value
	case *types.AttributeValueMemberNULL:
		return nil
	case *types.AttributeValueMemberB:
		return base64.StdEncoding.EncodeToString(v.Value)
	case *types.AttributeValueMemberSS:
		sorted := append([]string(nil), v.Value...)
		sort.Strings(sorted)
		return sorted
	case *types.AttributeValueMemberNS:
		return numberSet(v.Value)
	case *types.AttributeValueMemberBS:
		encoded := make([]string, len(v.Value))
		for i, data := range v.Value {
			encoded[i] = base64.StdEncoding.EncodeToString(data)
		}
		sort.Strings(encoded)
		return encoded
	case *types.AttributeValueMemberL:
		list := make([]any, len(v.Value))
		for i, element := range v.Value {
			list[i] = fromAttribute(element)
		}
		return list
	case *types.AttributeValueMemberM:
		return fromAttributes(v.Value)
	}
	return nil
}

var integer = regexp.MustCompile(`^-?\d+$`)

// number is a DynamoDB number as JSON: an integer as an integer, a float that holds the text
// exactly in its shortest form, else the stored text (three-tier's parse_number).
func number(text string) json.Number {
	if integer.MatchString(text) {
		if n, ok := new(big.Int).SetString(text, 10); ok {
			return json.Number(n.String())
		}
	}
	f, err := strconv.ParseFloat(text, 64)
	shortest := strconv.FormatFloat(f, 'f', -1, 64)
	exact, _ := new(big.Rat).SetString(text)
	held, _ := new(big.Rat).SetString(shortest)
	if err == nil && exact != nil && held != nil && held.Cmp(exact) == 0 {
		return json.Number(shortest)
	}
	return json.Number(text)
}

func numberSet(texts []string) []json.Number {
	sorted := append([]string(nil), texts...)
	sort.Slice(sorted, func(i, j int) bool {
		a, _ := new(big.Rat).SetString(sorted[i])
		b, _ := new(big.Rat).SetString(sorted[j])
		return a != nil && b != nil && a.Cmp(b) < 0
	})
	numbers := make([]json.Number, len(sorted))
	for i, text := range sorted {
		numbers[i] = number(text)
	}
	return numbers
}
