#ifndef CRUNPROOF_CRYPTO_SHIM_H
#define CRUNPROOF_CRYPTO_SHIM_H
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

/// The key type id of Ed25519 keys (a macro alias Swift does not import).
static inline int crunproof_pkey_ed25519(void) { return EVP_PKEY_ED25519; }
#endif
