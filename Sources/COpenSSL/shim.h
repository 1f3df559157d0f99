// Shim for OpenSSL 3.0: function-like macros and SSL_OP_* constants do not import into Swift,
// so each one a TLS server needs gets a one-line inline wrapper here (see shared/TOOLCHAIN.md).
#ifndef GOVMAIL_COPENSSL_SHIM_H
#define GOVMAIL_COPENSSL_SHIM_H

#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/kdf.h>
#include <openssl/hmac.h>
#include <openssl/cms.h>

static const uint64_t GM_SSL_OP_NO_COMPRESSION = SSL_OP_NO_COMPRESSION;
static const uint64_t GM_SSL_OP_NO_RENEGOTIATION = SSL_OP_NO_RENEGOTIATION;
static const uint64_t GM_SSL_OP_CIPHER_SERVER_PREFERENCE = SSL_OP_CIPHER_SERVER_PREFERENCE;
static const uint64_t GM_SSL_OP_NO_TICKET = SSL_OP_NO_TICKET;
static const uint64_t GM_SSL_OP_IGNORE_UNEXPECTED_EOF = SSL_OP_IGNORE_UNEXPECTED_EOF;

static inline int gm_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int v) { return (int)SSL_CTX_set_min_proto_version(ctx, v); }
static inline int gm_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int v) { return (int)SSL_CTX_set_max_proto_version(ctx, v); }
static inline long gm_SSL_CTX_set_mode(SSL_CTX *ctx, long m) { return SSL_CTX_set_mode(ctx, m); }
static inline long gm_SSL_set_mode(SSL *ssl, long m) { return SSL_set_mode(ssl, m); }
static inline long gm_SSL_CTX_set_session_cache_mode(SSL_CTX *ctx, long m) { return SSL_CTX_set_session_cache_mode(ctx, m); }
static inline int gm_SSL_CTX_set1_groups_list(SSL_CTX *ctx, const char *l) { return (int)SSL_CTX_set1_groups_list(ctx, l); }
static inline long gm_SSL_CTX_set_dh_auto(SSL_CTX *ctx, long onoff) { return SSL_CTX_set_dh_auto(ctx, onoff); }
static inline long gm_SSL_CTX_add_extra_chain_cert(SSL_CTX *ctx, X509 *x) { return SSL_CTX_add_extra_chain_cert(ctx, x); }
static inline int gm_SSL_want_read(const SSL *s) { return SSL_want_read(s); }
static inline int gm_SSL_want_write(const SSL *s) { return SSL_want_write(s); }
static inline const char *gm_SSL_get_cipher_name(const SSL *s) { return SSL_get_cipher_name(s); }
static inline long gm_BIO_get_mem_data(BIO *b, char **pp) { return BIO_get_mem_data(b, pp); }
static inline long gm_BIO_set_mem_eof_return(BIO *b, long v) { return BIO_set_mem_eof_return(b, v); }
static inline size_t gm_BIO_pending(BIO *b) { return BIO_pending(b); }
static inline size_t gm_BIO_wpending(BIO *b) { return BIO_wpending(b); }
static inline int gm_BIO_reset(BIO *b) { return (int)BIO_reset(b); }
static inline void gm_OPENSSL_free(void *p) { OPENSSL_free(p); }
static inline long gm_SSL_set_tlsext_host_name(SSL *s, const char *name) { return SSL_set_tlsext_host_name(s, name); }
static inline long gm_SSL_CTX_sess_number(SSL_CTX *ctx) { return SSL_CTX_sess_number(ctx); }
static inline long gm_SSL_CTX_sess_hits(SSL_CTX *ctx) { return SSL_CTX_sess_hits(ctx); }

// Additions for TLSEngine (memory-BIO engine, server context, development certificates).
static const long GM_SSL_MODE_RELEASE_BUFFERS = SSL_MODE_RELEASE_BUFFERS;
static const long GM_SSL_MODE_ENABLE_PARTIAL_WRITE = SSL_MODE_ENABLE_PARTIAL_WRITE;
static const long GM_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER = SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER;
static const long GM_SSL_SESS_CACHE_SERVER = SSL_SESS_CACHE_SERVER;
static const long GM_SSL_SESS_CACHE_CLIENT = SSL_SESS_CACHE_CLIENT;
static inline long gm_SSL_CTX_sess_set_cache_size(SSL_CTX *ctx, long n) { return SSL_CTX_sess_set_cache_size(ctx, n); }
static inline long gm_SSL_CTX_get_session_cache_mode(SSL_CTX *ctx) { return SSL_CTX_get_session_cache_mode(ctx); }
static inline long gm_SSL_CTX_sess_accept(SSL_CTX *ctx) { return SSL_CTX_sess_accept(ctx); }
static inline EVP_PKEY *gm_EVP_EC_gen(const char *curve) { return EVP_EC_gen(curve); }
static inline EVP_PKEY *gm_EVP_RSA_gen(unsigned int bits) { return EVP_RSA_gen(bits); }
static inline void gm_X509V3_set_ctx_nodb(X509V3_CTX *ctx) { X509V3_set_ctx_nodb(ctx); }
static inline int gm_BIO_should_retry(BIO *b) { return BIO_should_retry(b); }
static inline long gm_SSL_CTX_set_tlsext_servername_callback(SSL_CTX *ctx, int (*cb)(SSL *, int *, void *)) { return SSL_CTX_set_tlsext_servername_callback(ctx, cb); }
static inline long gm_SSL_CTX_set_tlsext_servername_arg(SSL_CTX *ctx, void *arg) { return SSL_CTX_set_tlsext_servername_arg(ctx, arg); }

// Session-ticket keys (TLSEngine/TicketKeyRing.swift): the HMAC half of a ticket key, set on
// the EVP_MAC_CTX OpenSSL hands to the ticket callback (OSSL_PARAM arrays are macros in C).
static inline int gm_ticket_hmac_init(EVP_MAC_CTX *hctx, const unsigned char *key, size_t length) {
    OSSL_PARAM params[3];
    params[0] = OSSL_PARAM_construct_octet_string("key", (void *)key, length);
    params[1] = OSSL_PARAM_construct_utf8_string("digest", "SHA256", 0);
    params[2] = OSSL_PARAM_construct_end();
    return EVP_MAC_CTX_set_params(hctx, params);
}
static const int GM_EVP_MAX_IV_LENGTH = EVP_MAX_IV_LENGTH;

/* STACK_OF(X509) helpers (macros in OpenSSL 3.0), for signing with a certificate chain. */
static inline STACK_OF(X509) *gm_sk_X509_new_null(void) { return sk_X509_new_null(); }
static inline int gm_sk_X509_push(STACK_OF(X509) *sk, X509 *x) { return sk_X509_push(sk, x); }
static inline void gm_sk_X509_pop_free(STACK_OF(X509) *sk) { sk_X509_pop_free(sk, X509_free); }
// ---- S/MIME verification (SMIMEVerification module, issue 17) -----------------------------
// Stack accessors are macros in 3.0; GENERAL_NAME and ASN1_TYPE are unions Swift cannot read
// safely; the verify callback must be a C function.
#include <openssl/cms.h>
static inline int gm_sk_X509_num(const STACK_OF(X509) *sk) { return sk_X509_num(sk); }
static inline X509 *gm_sk_X509_value(const STACK_OF(X509) *sk, int i) { return sk_X509_value(sk, i); }
static inline void gm_sk_X509_free(STACK_OF(X509) *sk) { sk_X509_free(sk); }
static inline int gm_sk_CMS_SignerInfo_num(STACK_OF(CMS_SignerInfo) *sk) { return sk_CMS_SignerInfo_num(sk); }
static inline CMS_SignerInfo *gm_sk_CMS_SignerInfo_value(STACK_OF(CMS_SignerInfo) *sk, int i) {
    return sk_CMS_SignerInfo_value(sk, i);
}
static inline int gm_sk_OPENSSL_STRING_num(const STACK_OF(OPENSSL_STRING) *sk) { return sk_OPENSSL_STRING_num(sk); }
static inline const char *gm_sk_OPENSSL_STRING_value(const STACK_OF(OPENSSL_STRING) *sk, int i) {
    return sk_OPENSSL_STRING_value(sk, i);
}
/// The UTCTime or GeneralizedTime an attribute value holds, or NULL for any other type.
static inline const ASN1_TIME *gm_ASN1_TYPE_get_time(const ASN1_TYPE *t) {
    if (t == NULL) return NULL;
    if (t->type == V_ASN1_UTCTIME) return t->value.utctime;
    if (t->type == V_ASN1_GENERALIZEDTIME) return t->value.generalizedtime;
    return NULL;
}
/// Chain verification callback: an issuer without a configured CRL is accepted (revocation is
/// checked "via configured CRL files when given"), and a CRL issued after the signing time (the
/// check time) is still used, since it is newer information; every other error stands.
static inline int gm_smime_verify_cb(int ok, X509_STORE_CTX *ctx) {
    if (!ok) {
        int e = X509_STORE_CTX_get_error(ctx);
        if (e == X509_V_ERR_UNABLE_TO_GET_CRL || e == X509_V_ERR_CRL_NOT_YET_VALID) {
            X509_STORE_CTX_set_error(ctx, X509_V_OK);
            return 1;
        }
    }
    return ok;
}
// ---- end S/MIME verification ------------------------------------------------------------

#endif
