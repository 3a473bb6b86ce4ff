package main

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

var cartID = regexp.MustCompile(`^[0-9a-f]{32}$`)

// line and cart are the JSON of shop-cart's Cart.to_json, fields in its order.
type line struct {
	SKU            string `json:"sku"`
	Quantity       int64  `json:"quantity"`
	UnitPriceCents int64  `json:"unit_price_cents"`
	LineTotalCents int64  `json:"line_total_cents"`
}

type cart struct {
	ID         string `json:"id"`
	Items      []line `json:"items"`
	ItemCount  int64  `json:"item_count"`
	TotalCents int64  `json:"total_cents"`
	Version    int64  `json:"version"`
	CreatedAt  string `json:"created_at"`
	UpdatedAt  string `json:"updated_at"`
	ExpiresAt  string `json:"expires_at"`
	expires    int64
}

// getCart is shop-cart's GET /carts/{id}: the live cart with its ETag, 304 on If-None-Match.
func (s *service) getCart(w http.ResponseWriter, r *http.Request, id string) {
	if !cartID.MatchString(id) {
		cartNotFound(w, id)
		return
	}
	out, err := s.client.GetItem(r.Context(), &dynamodb.GetItemInput{
		TableName:      aws.String(s.TableCarts),
		Key:            map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: id}},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		storageUnavailable(w, err)
		return
	}
	c, ok := cartOf(out.Item)
	if !ok || c.expires <= time.Now().Unix() { // TTL deletion is lazy
		cartNotFound(w, id)
		return
	}
	etag := fmt.Sprintf(`"%d"`, c.Version)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("ETag", etag)
	if noneMatchHits(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	reply(w, http.StatusOK, c)
}

func cartNotFound(w http.ResponseWriter, id string) {
	reply(w, http.StatusNotFound, map[string]string{
		"error": "cart_not_found", "detail": fmt.Sprintf("no cart has id '%s'", id),
	})
}

// noneMatchHits is the weak comparison of RFC 9110 for If-None-Match: * or a listed tag.
func noneMatchHits(header, etag string) bool {
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == etag {
			return true
		}
	}
	return false
}

func cartOf(item map[string]types.AttributeValue) (cart, bool) {
	id, ok := item["id"].(*types.AttributeValueMemberS)
	if !ok {
		return cart{}, false
	}
	c := cart{ID: id.Value, Items: []line{}, Version: integerOf(item["version"])}
	c.CreatedAt = iso(integerOf(item["created_at"]))
	c.UpdatedAt = iso(integerOf(item["updated_at"]))
	c.expires = integerOf(item["expires_at"])
	c.ExpiresAt = iso(c.expires)
	if lines, ok := item["lines"].(*types.AttributeValueMemberM); ok {
		for sku, value := range lines.Value {
			fields, _ := value.(*types.AttributeValueMemberM)
			if fields == nil {
				continue
			}
			l := line{SKU: sku, Quantity: integerOf(fields.Value["quantity"])}
			l.UnitPriceCents = integerOf(fields.Value["unit_price_cents"])
			l.LineTotalCents = l.Quantity * l.UnitPriceCents
			c.Items = append(c.Items, l)
			c.ItemCount += l.Quantity
			c.TotalCents += l.LineTotalCents
		}
	}
	sort.Slice(c.Items, func(i, j int) bool { return c.Items[i].SKU < c.Items[j].SKU })
	return c, true
}

func integerOf(value types.AttributeValue) int64 {
	if n, ok := value.(*types.AttributeValueMemberN); ok {
		parsed, _ := strconv.ParseInt(n.Value, 10, 64)
		return parsed
	}
	return 0
}

func iso(epochSeconds int64) string {
	return time.Unix(epochSeconds, 0).UTC().Format("2006-01-02T15:04:05Z")
}
