"""A signed PDF's signatures validated with pyHanko against a folder of trusted authorities:
the tests make their own authority and sign their own PDFs."""

import time

import pytest
from django.utils import translation

from tests.reporting import pki
from theodoi.core import samplepki
from theodoi.reporting import signatures
from theodoi.reporting.signatures import check_signatures, load_trust_roots


def test_intact_and_trusted_is_valid_with_signer_and_time(signed, trusted_dir):
    report = check_signatures(signed, trusted_ca_dir=trusted_dir)
    assert report.verdict == "signed"
    [result] = report.signatures
    assert (result.integrity, result.trust, result.trust_problem) == ("intact", "trusted", "")
    assert result.valid
    assert result.signer == "Nguyễn Văn An"
    assert result.organization == "UBND phường Thử Nghiệm"
    assert result.signed_at is not None and result.covers_whole_file
    with translation.override("vi"):
        text = signatures.explain(report.as_json()["signatures"][0])
    assert text.startswith("Chữ ký số hợp lệ — người ký Nguyễn Văn An (UBND phường Thử Nghiệm)")


def test_a_der_root_is_trusted_too(signed, authority, tmp_path):
    pki.trust(authority, tmp_path, der=True)
    assert check_signatures(signed, trusted_ca_dir=tmp_path).signatures[0].trust == "trusted"


def test_a_root_outside_the_trust_folder_is_not_trusted(signed, tmp_path):
    pki.trust(pki.make_authority(root="Another Root CA"), tmp_path)  # not the signer's authority
    [result] = check_signatures(signed, trusted_ca_dir=tmp_path).signatures
    assert (result.integrity, result.trust, result.trust_problem) == (
        "intact",
        "untrusted",
        "no_chain",
    )
    with translation.override("vi"):
        text = signatures.explain(
            signatures.SignatureReport("signed", [result]).as_json()["signatures"][0]
        )
    assert "chưa được tin cậy" in text


def test_an_empty_or_missing_trust_folder_trusts_nobody(signed, tmp_path):
    for folder in (tmp_path, tmp_path / "missing", None):
        [result] = check_signatures(signed, trusted_ca_dir=folder).signatures
        assert result.trust == "untrusted"


def test_bytes_changed_inside_the_signed_range_are_altered(signed, trusted_dir):
    [result] = check_signatures(pki.flip_signed_byte(signed), trusted_ca_dir=trusted_dir).signatures
    assert result.integrity == "altered"
    assert not result.valid
    with translation.override("vi"):
        assert "bị sửa sau khi ký" in signatures.explain({"integrity": "altered"})


def test_an_incremental_update_that_changes_the_page_is_modified(signed, trusted_dir):
    changed = pki.change_after_signing(signed)
    [result] = check_signatures(changed, trusted_ca_dir=trusted_dir).signatures
    assert result.integrity == "modified"
    assert not result.covers_whole_file
    assert not result.valid


def test_two_signatures_are_each_checked(authority, trusted_dir):
    other = pki.make_authority(signer="Trần Thị Bình", root="Another Root CA")
    twice = samplepki.sign_pdf(
        samplepki.sign_pdf(pki.make_pdf(), authority), other, field_name="Signature2"
    )
    report = check_signatures(twice, trusted_ca_dir=trusted_dir)
    by_name = {r.signer: r for r in report.signatures}
    assert by_name["Nguyễn Văn An"].trust == "trusted"
    assert by_name["Nguyễn Văn An"].integrity == "intact"  # a later signature is allowed
    assert by_name["Trần Thị Bình"].trust == "untrusted"


def test_an_unsigned_pdf_is_neutral(trusted_dir):
    report = check_signatures(pki.make_pdf(), trusted_ca_dir=trusted_dir)
    assert (report.verdict, report.signatures) == ("unsigned", [])


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a pdf",
        b"%PDF-1.7\n garbage \x00\xff" * 50,
        b"%PDF-1.4\n%%EOF",
        pki.make_pdf()[:200],
    ],
)
def test_garbage_could_not_be_read(data, trusted_dir):
    assert check_signatures(data, trusted_ca_dir=trusted_dir).verdict == "unreadable"


def test_a_file_over_the_size_cap_is_not_checked(monkeypatch, signed, trusted_dir):
    monkeypatch.setattr(signatures, "MAX_BYTES", len(signed) - 1)
    assert check_signatures(signed, trusted_ca_dir=trusted_dir).verdict == "too_large"


def test_a_slow_check_gives_up_at_the_time_limit(monkeypatch, signed, trusted_dir):
    def slow(data, roots):
        time.sleep(1)

    monkeypatch.setattr(signatures, "_validate", slow)
    started = time.monotonic()
    assert check_signatures(signed, trusted_ca_dir=trusted_dir, time_limit=0.1).verdict == (
        "timeout"
    )
    assert time.monotonic() - started < 0.9


def test_a_signed_pdf_is_checked_fast(signed, trusted_dir):
    started = time.monotonic()
    check_signatures(signed, trusted_ca_dir=trusted_dir)
    assert time.monotonic() - started < 2


def test_unreadable_files_in_the_trust_folder_are_skipped(authority, tmp_path):
    pki.trust(authority, tmp_path)
    (tmp_path / "broken.pem").write_bytes(
        b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
    )
    (tmp_path / "broken.der").write_bytes(b"\x30\x03\x02\x01")
    (tmp_path / "notes.txt").write_text("not a certificate")
    roots = load_trust_roots(tmp_path)
    assert [r.subject.native["common_name"] for r in roots] == ["Test Root CA"]


def test_a_pem_bundle_gives_every_certificate(tmp_path):
    first, second = pki.make_authority(), pki.make_authority()
    (tmp_path / "bundle.crt").write_bytes(first.root_pem() + second.root_pem())
    assert len(load_trust_roots(tmp_path)) == 2


def test_a_signature_pyhanko_cannot_validate_is_unreadable_not_altered(
    monkeypatch, signed, trusted_dir
):
    import pyhanko.sign.validation

    def broken(*args, **kwargs):
        raise ValueError("unsupported algorithm")

    monkeypatch.setattr(pyhanko.sign.validation, "validate_pdf_signature", broken)
    [result] = check_signatures(signed, trusted_ca_dir=trusted_dir).signatures
    assert (result.integrity, result.trust) == ("unreadable", "untrusted")
    with translation.override("vi"):
        assert signatures.explain({"integrity": "unreadable"}) == "Không đọc được một chữ ký."
