// A saved set's address suggested from its name as the name is typed, until the
// address is edited by hand (or already had a value). Without script, the server
// makes the same address from the name when the field is left blank.
(function () {
  var name = document.getElementById("id_name");
  var slug = document.getElementById("id_slug");
  if (!name || !slug) return;
  var edited = slug.value !== "";
  function slugify(text) {
    return text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9\s-]/g, "")
      .trim()
      .replace(/[\s-]+/g, "-")
      .slice(0, 60)
      .replace(/^-+|-+$/g, "");
  }
  slug.addEventListener("input", function () {
    edited = slug.value !== "";
  });
  name.addEventListener("input", function () {
    if (!edited) slug.value = slugify(name.value);
  });
})();
