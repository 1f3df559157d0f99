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

#endif
