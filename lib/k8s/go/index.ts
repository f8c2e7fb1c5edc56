/**
 * The Go formatting the engine's texts depend on, in one place: each function is one Go behaviour
 * (strconv.Quote, encoding/json, fmt's %v, utilerrors' aggregate, text/tabwriter, time layouts), and
 * every message uses the one its Kubernetes source uses.
 */
export { goQuote, goQuoteSlice, goTimeQuote, goJsonString } from "./quote";
export { goStringSlice, goMap, compareGoStrings, goErrorText, goAggregateText, goJsonTypeName, type GoError } from "./fmt";
export { goJson } from "./json";
export { tabwrite, GET_TABWRITER, DESCRIBE_TABWRITER, type TabwriterOptions } from "./tabwriter";
export { GO_ZERO_TIME, goTime, goUnixTime, rfc1123z } from "./time";
export { goPathEscape, goPathUnescape } from "./url";
