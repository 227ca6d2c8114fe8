import pytest

from desktop.security.cipher import SealError, is_sealed, new_key, open_sealed, sealer_for


def test_sealed_round_trip_and_nothing_readable():
    key = new_key()
    plain = "张三 13277204056".encode()
    sealed = sealer_for(key).seal(plain, b"attachment:1")
    assert is_sealed(sealed) and plain not in sealed
    assert open_sealed(key, sealed, b"attachment:1") == plain


def test_wrong_key_or_aad_or_tampering_refused():
    key = new_key()
    sealed = sealer_for(key).seal(b"data", b"a")
    with pytest.raises(SealError):
        open_sealed(new_key(), sealed, b"a")
    with pytest.raises(SealError):
        open_sealed(key, sealed, b"b")
    with pytest.raises(SealError):
        open_sealed(key, sealed[:-1] + bytes([sealed[-1] ^ 1]), b"a")
    with pytest.raises(SealError):
        open_sealed(key, b"plain text, not sealed at all", b"a")
