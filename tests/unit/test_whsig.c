/* whsig: Standard Webhooks signatures, against the spec's test vector. */
#include "whsig.h"
#include "tap.h"

#include <sodium.h>
#include <string.h>

int
main(void)
{
	/* standard-webhooks' own example (its README and test suites) */
	static const char secret[] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
	static const char body[] = "{\"test\": 2432232314}";
	char	sig[WHSIG_SIG_LEN + 1], s2[WHSIG_SIG_LEN + 1];
	char	a[WHSIG_SECRET_LEN + 1], b[WHSIG_SECRET_LEN + 1];

	if (sodium_init() < 0)
		return 1;
	ok(whsig_sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
	    body, strlen(body), sig) == 0, "the spec's example signs");
	is_str(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
	    "to the spec's signature");
	ok(whsig_sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265331,
	    body, strlen(body), s2) == 0 && strcmp(sig, s2) != 0,
	    "another timestamp, another signature");
	ok(whsig_sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
	    "{\"test\": 2432232315}", strlen(body), s2) == 0 &&
	    strcmp(sig, s2) != 0, "another body, another signature");
	whsig_secret_new(a);
	whsig_secret_new(b);
	ok(strlen(a) == WHSIG_SECRET_LEN && strncmp(a, "whsec_", 6) == 0 &&
	    whsig_secret_valid(a) && strcmp(a, b) != 0, "new secrets: whsec_ "
	    "and 32 random bytes, each its own");
	ok(!whsig_secret_valid("whsec_") && !whsig_secret_valid("MfKQ9r8GKY"
	    "qrTwjUPD8ILPZIo2LaLaSw") && !whsig_secret_valid("whsec_!!!!") &&
	    !whsig_secret_valid("whsec_c2hvcnQ="), "not secrets: empty, no "
	    "prefix, not base64, too short");
	ok(whsig_sign("whsec_nope", "m", 1, "", 0, s2) == -1,
	    "a bad secret signs nothing");
	return tap_done();
}
