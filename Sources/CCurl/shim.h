#ifndef GATEWAY_CCURL_SHIM_H
#define GATEWAY_CCURL_SHIM_H
// libcurl's curl_easy_setopt/curl_easy_getinfo are C variadic functions, which Swift cannot call.
// These typed wrappers are the whole binding surface the gateway's AWS transport needs.
#include <curl/curl.h>

typedef size_t (*gw_curl_data_callback)(char *buffer, size_t size, size_t count, void *context);
typedef int (*gw_curl_progress_callback)(void *context, curl_off_t dltotal, curl_off_t dlnow,
                                         curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode gw_curl_set_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode gw_curl_set_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode gw_curl_set_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode gw_curl_set_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode gw_curl_set_headers(CURL *handle, struct curl_slist *headers) {
    return curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
}
static inline CURLcode gw_curl_set_write_callback(CURL *handle, gw_curl_data_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}
static inline CURLcode gw_curl_set_header_callback(CURL *handle, gw_curl_data_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
}
static inline CURLcode gw_curl_set_progress_callback(CURL *handle, gw_curl_progress_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}
static inline CURLcode gw_curl_global_init_default(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}
static inline CURLcode gw_curl_get_response_code(CURL *handle, long *code) {
    return curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, code);
}
#endif
