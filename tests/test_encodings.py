"""Legacy text files: every letter kept, or the tool says which encoding it read, or it refuses."""

import json

import pytest

from .conftest import REFERENCE, run

SENTENCE = "Sjögren's syndrome: ask Dr. Peña about the “next” dose – above 38 °C, call us."


def proof_json(script):
    result = run("proof", script, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), result.stderr


def page_text(script, encoding=None):
    """The text of every block (title lines aside) as the tool read it from the file."""
    from audioguide.read import read_script

    return "\n".join(block.text for block in read_script(script, encoding=encoding).blocks)


@pytest.mark.parametrize(
    "codec, name",
    [("cp1252", "Windows-1252"), ("mac_roman", "Mac Roman")],
)
def test_a_legacy_western_file_keeps_every_letter_and_says_how_it_was_read(tmp_path, codec, name):
    script = tmp_path / "guide.txt"
    script.write_bytes(f"Dry Eyes\n\n{SENTENCE}\n".encode(codec))
    assert page_text(script) == SENTENCE
    _, notes = proof_json(script)
    assert notes.strip() == (
        f"Note: {script}: read as {name} (the file does not say its encoding); if letters look wrong, give --encoding"
    )


def test_a_latin_1_file_keeps_every_letter(tmp_path):
    text = "Sjögren's syndrome: ask Dr. Peña, above 38 °C or 100.4 °F, ½ tablet."
    script = tmp_path / "guide.txt"
    script.write_bytes(f"Dry Eyes\n\n{text}\n".encode("latin-1"))
    assert page_text(script) == text


def test_the_reference_guide_in_cp1252_that_detectors_take_for_japanese_keeps_sjogren(tmp_path):
    from charset_normalizer import from_bytes

    data = REFERENCE.read_text(encoding="utf-8").encode("cp1252")
    assert from_bytes(data).best().encoding != "cp1252"  # the detector alone gets it wrong
    script = tmp_path / "sjogrens.txt"
    script.write_bytes(data)
    proofs, notes = proof_json(script)
    spoken = " ".join(chapter["spoken"] for chapter in proofs)
    assert "Sjren" not in spoken
    assert page_text(script) == page_text(REFERENCE)
    assert "read as Windows-1252" in notes


def test_utf_8_with_a_stray_byte_is_refused_with_its_line(tmp_path):
    script = tmp_path / "guide.txt"
    script.write_bytes(f"Dry Eyes\n\n{SENTENCE}\n".encode() + b"Rest well \x92 today.\n")
    result = run("build", script, "-o", tmp_path / "out", "--engine", "espeak")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: {script}: UTF-8 text with a stray byte on line 4 (byte {len(SENTENCE.encode()) + 21}); "
        "fix or delete that character, or give --encoding"
    )
    assert not (tmp_path / "out" / "guide").exists()


def test_a_text_no_encoding_reads_whole_is_refused_rather_than_losing_letters(tmp_path):
    # Bytes undefined in Windows-1252 (0x81, 0x8d) in a text that is not Western at all.
    script = tmp_path / "guide.txt"
    script.write_bytes(b"Title\n\n" + bytes(range(0x80, 0xA0)) * 3 + b"\n")
    result = run("proof", script)
    assert result.exit_code == 2
    assert "could not be recognised without losing letters" in result.stderr
    assert "--encoding" in result.stderr


def test_an_encoding_given_is_used_and_not_announced(tmp_path):
    script = tmp_path / "guide.txt"
    script.write_bytes(f"Dry Eyes\n\n{SENTENCE}\n".encode("mac_roman"))
    result = run("proof", script, "--encoding", "mac_roman")
    assert result.exit_code == 0 and result.stderr == ""
    assert page_text(script, "mac_roman") == SENTENCE


def test_utf_8_files_are_not_announced(tmp_path):
    script = tmp_path / "guide.txt"
    script.write_text(f"Dry Eyes\n\n{SENTENCE}\n", encoding="utf-8")
    _, notes = proof_json(script)
    assert notes == ""
