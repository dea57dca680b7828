// Photo panel: drag a photo card to a new place; the new order is posted (the arrows do the same without drag).
// A chosen file over the upload limit is refused before it is sent (the server refuses it too).
(function () {
  "use strict";
  let dragged = null;

  document.addEventListener("change", function (event) {
    const input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) return;
    const file = input.files && input.files[0];
    input.setCustomValidity(file && file.size > Number(input.dataset.maxBytes) ? input.dataset.tooLarge : "");
    input.reportValidity();
  });

  function grid(element) { return element && element.closest("[data-sortable-photos]"); }

  document.addEventListener("dragstart", function (event) {
    const card = event.target.closest && event.target.closest(".photo-card[draggable=true]");
    if (!card) return;
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
  });

  document.addEventListener("dragover", function (event) {
    const card = event.target.closest && event.target.closest(".photo-card");
    if (!dragged || !card || card === dragged || grid(card) !== grid(dragged)) return;
    event.preventDefault();
    const box = card.getBoundingClientRect();
    const after = event.clientX > box.left + box.width / 2;
    card.parentNode.insertBefore(dragged, after ? card.nextSibling : card);
  });

  document.addEventListener("dragend", function () {
    if (!dragged) return;
    const list = grid(dragged);
    dragged.classList.remove("dragging");
    dragged = null;
    const form = list && document.getElementById(list.dataset.sortablePhotos);
    if (!form) return;
    form.querySelectorAll("input[name=photo_ids]").forEach(function (input) { input.remove(); });
    list.querySelectorAll(".photo-card").forEach(function (card) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = "photo_ids";
      input.value = card.dataset.photoId;
      form.appendChild(input);
    });
    if (window.htmx) { window.htmx.trigger(form, "photos-reordered"); } else { form.submit(); }
  });
})();
