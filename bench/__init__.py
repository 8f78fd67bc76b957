"""Scale measurements (`make bench`) and the synthetic province they run on; not part of the
installed package."""
