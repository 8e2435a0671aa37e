"""The participant link: post-its from phones, without an account."""
