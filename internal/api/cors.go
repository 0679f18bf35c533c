package api

import (
	"net/http"
	"strconv"
)

// corsMaxAge is how long a browser may keep a preflight answer: ten
// minutes, short enough that a changed -origins list takes effect soon.
const corsMaxAge = 10 * 60

// corsHeaders are the request headers a cross-origin page may send: JSON
// bodies and conditional requests for the cached catalog.
const corsHeaders = "Accept, Content-Type, If-None-Match"

// cors lets the pages of the origins in Config.AllowedOrigins call the REST
// API from their own scripts (a notebook on another host, say). The exact
// origin is echoed, never "*": the list is an allow-list, and "*" would
// also admit every other site. Every answer varies by Origin so a shared
// cache never hands one origin's answer to another. A preflight (OPTIONS
// with Access-Control-Request-Method) is answered here; a refused origin
// gets the same answer without Access-Control-Allow-Origin, which the
// browser turns into a refusal.
func (h *Handler) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Add("Vary", "Origin")
		origin := r.Header.Get("Origin")
		// The websocket's origin rule, so both agree on scheme and port;
		// a request without Origin is no cross-origin page and needs no
		// CORS headers.
		allowed := origin != "" && h.originAllowed(r)
		if allowed {
			hd.Set("Access-Control-Allow-Origin", origin)
			hd.Set("Access-Control-Expose-Headers", "ETag")
		}
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			hd.Add("Vary", "Access-Control-Request-Method")
			hd.Add("Vary", "Access-Control-Request-Headers")
			if allowed {
				hd.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
				hd.Set("Access-Control-Allow-Headers", corsHeaders)
				hd.Set("Access-Control-Max-Age", strconv.Itoa(corsMaxAge))
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}
