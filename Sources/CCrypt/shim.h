// libxcrypt: crypt_r is the thread-safe form (crypt() shares one static buffer).
#ifndef GOVMAIL_CCRYPT_SHIM_H
#define GOVMAIL_CCRYPT_SHIM_H
#include <crypt.h>
#endif
