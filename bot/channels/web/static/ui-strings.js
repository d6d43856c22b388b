/* The chat page's own strings, kept apart from chat.js (loaded after this) so reviewers see only
   these. en and nl are reviewed. The other 11 (ar, ti, fa, ps, tr, ckb, kmr, so, fr, uk, ru) are
   not yet reviewed by a native speaker. A missing key falls back to en. */
(function () {
  "use strict";

  window.WERKPAD_UI_STRINGS = {
    en: {
      placeholder: "Type a message", send: "Send", retry: "Try again",
      error: "Something went wrong — your message is kept, please try again",
      tooLong: "Your message is too long — please make it shorter",
      tooFast: "You are sending very quickly — your message is kept, wait a minute and send it again",
      language: "Language", mt: "Machine translated"
    },
    nl: {
      placeholder: "Typ een bericht", send: "Verstuur", retry: "Probeer opnieuw",
      error: "Er ging iets mis — je bericht is bewaard, probeer het opnieuw",
      tooLong: "Je bericht is te lang — maak het korter",
      tooFast: "Je stuurt heel snel — je bericht is bewaard, wacht een minuut en stuur het opnieuw",
      language: "Taal", mt: "Automatisch vertaald"
    },
    ar: {
      placeholder: "اكتب رسالة", send: "إرسال", retry: "حاول مرة أخرى",
      error: "حدث خطأ ما — رسالتك محفوظة، يرجى المحاولة مرة أخرى",
      tooLong: "رسالتك طويلة جدًا — يرجى تقصيرها",
      tooFast: "أنت ترسل بسرعة كبيرة — رسالتك محفوظة، انتظر دقيقة ثم أرسلها مرة أخرى",
      language: "اللغة", mt: "ترجمة آلية"
    },
    ti: {
      placeholder: "መልእኽቲ ጸሓፉ", send: "ስደድ", retry: "እንደገና ፈትኑ",
      error: "ገለ ጌጋ ተፈጢሩ — መልእኽትኹም ተዓቂቡ ኣሎ፡ በጃኹም እንደገና ፈትኑ",
      tooLong: "መልእኽትኹም ኣዝዩ ነዊሕ እዩ — በጃኹም ኣሕጽሩዎ",
      tooFast: "ኣዝዩ ብቕልጡፍ ትሰዱ ኣለኹም — መልእኽትኹም ተዓቂቡ ኣሎ፣ ሓንቲ ደቒቕ ተጸበዩ እሞ ደጊምኩም ስደዱ",
      language: "ቋንቋ", mt: "ብማሽን ዝተተርጎመ"
    },
    fa: {
      placeholder: "پیامی بنویسید", send: "ارسال", retry: "دوباره امتحان کنید",
      error: "مشکلی پیش آمد — پیام شما نگه داشته شد، لطفاً دوباره امتحان کنید",
      tooLong: "پیام شما خیلی طولانی است — لطفاً آن را کوتاه‌تر کنید",
      tooFast: "خیلی سریع می‌فرستید — پیام شما نگه داشته شده است، یک دقیقه صبر کنید و دوباره بفرستید",
      language: "زبان", mt: "ترجمه ماشینی"
    },
    ps: {
      placeholder: "پیغام ولیکئ", send: "ولیږئ", retry: "بیا هڅه وکړئ",
      error: "یوه ستونزه رامنځته شوه — ستاسو پیغام خوندي دی، مهرباني وکړئ بیا هڅه وکړئ",
      tooLong: "ستاسو پیغام ډېر اوږد دی — مهرباني وکړئ لنډ یې کړئ",
      tooFast: "تاسو ډېر ژر لېږئ — ستاسو پیغام ساتل شوی، یوه دقیقه صبر وکړئ او بیا یې ولېږئ",
      language: "ژبه", mt: "ماشیني ژباړه"
    },
    tr: {
      placeholder: "Bir mesaj yazın", send: "Gönder", retry: "Tekrar dene",
      error: "Bir sorun oluştu — mesajınız saklandı, lütfen tekrar deneyin",
      tooLong: "Mesajınız çok uzun — lütfen kısaltın",
      tooFast: "Çok hızlı gönderiyorsunuz — mesajınız duruyor, bir dakika bekleyip yeniden gönderin",
      language: "Dil", mt: "Makine çevirisi"
    },
    ckb: {
      placeholder: "نامەیەک بنووسە", send: "ناردن", retry: "دووبارە هەوڵ بدەوە",
      error: "هەڵەیەک ڕوویدا — نامەکەت پارێزراوە، تکایە دووبارە هەوڵ بدەوە",
      tooLong: "نامەکەت زۆر درێژە — تکایە کورتی بکەرەوە",
      tooFast: "زۆر خێرا دەنێریت — نامەکەت هەڵگیراوە، خولەکێک چاوەڕێ بکە و دووبارە بینێرەوە",
      language: "زمان", mt: "وەرگێڕانی ئامێر"
    },
    kmr: {
      placeholder: "Peyamekê binivîse", send: "Bişîne", retry: "Dîsa biceribîne",
      error: "Tiştek xelet çû — peyama te hat parastin, ji kerema xwe dîsa biceribîne",
      tooLong: "Peyama te pir dirêj e — ji kerema xwe wê kurttir bike",
      tooFast: "Tu pir zû dişînî — peyama te hatiye parastin, deqeyekê bisekine û dîsa bişîne",
      language: "Ziman", mt: "Wergera makîneyê"
    },
    so: {
      placeholder: "Qor fariin", send: "Dir", retry: "Isku day mar kale",
      error: "Wax baa khaldamay — fariintaada waa la hayaa, fadlan isku day mar kale",
      tooLong: "Fariintaadu aad bay u dheer tahay — fadlan soo gaabi",
      tooFast: "Aad ayaad u dhaqso u diraysaa — fariintaada waa la hayaa, sug hal daqiiqo oo mar kale dir",
      language: "Luqadda", mt: "Turjumaad mashiin"
    },
    fr: {
      placeholder: "Écrivez un message", send: "Envoyer", retry: "Réessayer",
      error: "Un problème est survenu — votre message est conservé, veuillez réessayer",
      tooLong: "Votre message est trop long — veuillez le raccourcir",
      tooFast: "Vous envoyez très vite — votre message est gardé, attendez une minute et renvoyez-le",
      language: "Langue", mt: "Traduction automatique"
    },
    uk: {
      placeholder: "Напишіть повідомлення", send: "Надіслати", retry: "Спробувати ще раз",
      error: "Щось пішло не так — ваше повідомлення збережено, спробуйте ще раз",
      tooLong: "Ваше повідомлення задовге — будь ласка, скоротіть його",
      tooFast: "Ви надсилаєте дуже швидко — ваше повідомлення збережено, зачекайте хвилину й надішліть знову",
      language: "Мова", mt: "Машинний переклад"
    },
    ru: {
      placeholder: "Напишите сообщение", send: "Отправить", retry: "Попробовать снова",
      error: "Что-то пошло не так — ваше сообщение сохранено, попробуйте ещё раз",
      tooLong: "Ваше сообщение слишком длинное — пожалуйста, сократите его",
      tooFast: "Вы отправляете очень быстро — ваше сообщение сохранено, подождите минуту и отправьте снова",
      language: "Язык", mt: "Машинный перевод"
    }
  };
})();
