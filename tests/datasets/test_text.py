"""The offline text corpus: the same text every run, word ids as word_language_model makes them."""
import pytest
import torch

from tinygrad_edu.datasets import text


def test_python_docs_is_prose_without_doctest_lines():
    docs = text.python_docs()
    assert docs == text.python_docs()
    assert len(docs.split()) > 10_000
    assert not any(line.startswith(">>>") for line in docs.splitlines())
    assert docs == docs.lower()


def test_corpus_ids_and_eos_per_line():
    corpus = text.Corpus("a b\nb c\nc d\nd\n", valid_fraction=0.25)
    assert corpus.idx2word == ["a", "b", "<eos>", "c", "d"]
    assert corpus.train == [0, 1, 2, 1, 3, 2, 3, 4, 2]
    assert corpus.valid == [4, 2]
    assert len(corpus) == 5


def test_batchify_and_get_batch_match_the_word_language_model_recipe():
    ids = list(range(23))
    data = torch.tensor(ids)
    steps = data.size(0) // 4
    expected = data.narrow(0, 0, steps * 4).view(4, -1).t().contiguous()
    ours = text.batchify(ids, 4)
    assert ours.tolist() == expected.tolist() and str(ours.dtype) == "torch.int64"
    x, y = text.get_batch(ours, 3, 35)
    assert x.tolist() == expected[3:4].tolist()
    assert y.tolist() == expected[4:5].reshape(-1).tolist()


def test_batchify_refuses_too_few_ids():
    with pytest.raises(ValueError, match="cannot fill"):
        text.batchify([1, 2], 3)
